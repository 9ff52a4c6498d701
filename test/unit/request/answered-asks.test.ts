import { answeringFrom, ask, runAsking, runAskingRecorded, type Answers, type AskKind, type AskOf, type Asking } from '../../../domain/request/asks';

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
