import { fullVersionBodySchema } from '../../../api/calendars/schemas';
import { CALENDAR_KEYS } from '../../../domain/calendar';

// The API refuses an unknown field of a full version before the engine sees it: its list must
// stay the engine's, or a field the engine learns would be refused here.
test("a full version body lists exactly the fields the calendar engine reads, and the change's author", () => {
  expect(Object.keys(fullVersionBodySchema.shape).sort()).toEqual([...CALENDAR_KEYS, 'author'].sort());
});
