import { answeringFrom, ask, runAsking, runAskingRecorded, sameAsk, type Answers, type AskKind, type AskOf, type Asking } from '../../../domain/request/asks';

const cal = { id: 'office-moscow', versionId: '1' };

/** Two dependent asks: the second starts where the first ends. */
function* twoSteps(fromMs: number): Asking<number> {
  const first = yield* ask({ kind: 'working_time', calendar: cal, fromMs, toMs: fromMs + 10 });
  const second = yield* ask({ kind: 'working_time', calendar: cal, fromMs: fromMs + first, toMs: fromMs + 20 });
  return first + second;
}

/** Answers every ask with its span, counting how many it answered. */
function counting() {
  const asked: string[] = [];
  const answer = (async (q: AskOf<'working_time'>) => {
    asked.push(`${q.fromMs}-${q.toMs}`);
    return q.toMs - q.fromMs;
  }) as unknown as <K extends AskKind>(q: AskOf<K>) => Promise<Answers[K]>;
  return { asked, answer };
}

test('recorded answers are taken for the very asks they were given to, in order', async () => {
  const ahead = counting();
  const { result, answered } = await runAskingRecorded(twoSteps(100), ahead.answer);
  expect(result).toBe(20);
  expect(answered.map((a) => a.answer)).toEqual([10, 10]);

  const later = counting();
  // As they travel: through JSON.
  expect(await runAsking(twoSteps(100), answeringFrom(JSON.parse(JSON.stringify(answered)), later.answer))).toBe(20);
  expect(later.asked).toEqual([]);
});

test('from the first ask that differs, every answer is asked for', async () => {
  const { answered } = await runAskingRecorded(twoSteps(100), counting().answer);
  const later = counting();
  expect(await runAsking(twoSteps(105), answeringFrom(answered, later.answer))).toBe(20);
  expect(later.asked).toEqual(['105-115', '115-125']);
});

test('an answer recorded for a later ask is not taken once an earlier one differed', async () => {
  const { answered } = await runAskingRecorded(twoSteps(100), counting().answer);
  const later = counting();
  // The first ask differs, the second happens to equal the recorded second ask: still asked.
  const [, second] = answered;
  expect(await runAsking(twoSteps(100), answeringFrom([{ ask: { kind: 'working_time', calendar: cal, fromMs: 0, toMs: 1 }, answer: 99 }, second!], later.answer))).toBe(20);
  expect(later.asked).toEqual(['100-110', '110-120']);
});

test('sameAsk: the same question whatever the order of its keys, at any depth; any other value is another question', async () => {
  const question = { kind: 'working_time', calendar: { id: 'office-moscow', versionId: '1' }, fromMs: 1, toMs: 2 } as const;
  const reordered = JSON.parse('{"toMs":2,"calendar":{"versionId":"1","id":"office-moscow"},"fromMs":1,"kind":"working_time"}');
  expect(JSON.stringify(reordered)).not.toBe(JSON.stringify(question));
  expect(sameAsk(reordered, question)).toBe(true);
  expect(sameAsk({ ...question, calendar: { id: 'office-moscow', versionId: '2' } }, question)).toBe(false);
  expect(sameAsk({ ...question, toMs: 3 }, question)).toBe(false);

  // Taken by answeringFrom with sameAsk; asked again with the default comparison (exact JSON).
  const recorded = [{ ask: reordered, answer: 7 }];
  const one = function* (): Asking<number> {
    return yield* ask(question);
  };
  const lenient = counting();
  expect(await runAsking(one(), answeringFrom(recorded, lenient.answer, sameAsk))).toBe(7);
  expect(lenient.asked).toEqual([]);
  const strict = counting();
  expect(await runAsking(one(), answeringFrom(recorded, strict.answer))).toBe(1);
  expect(strict.asked).toEqual(['1-2']);
});
