/*
 * fuzz_schedule.c: RotationRules parsing (src/rotation/schedule.c):
 * ScheduleExpression (rate()/cron()) and Duration come from RotateSecret.
 *
 * Properties beyond the sanitizers: a refused rule says why (an error
 * message); an accepted one yields windows that open before they close and
 * move forward in time.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rotation/rotation.h"
#include "fuzz_common.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rotation_schedule s;
	struct error	 err;
	char		*text, *duration;
	int64_t		 start = 0, end = 0, base = 1795000000000LL;
	size_t		 cut;

	if (size > 4096 || (text = malloc(size + 1)) == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	/* "expression\nduration": the first line, and what follows. */
	cut = strcspn(text, "\n");
	duration = NULL;
	if (text[cut] == '\n') {
		text[cut] = '\0';
		duration = text + cut + 1;
	}
	memset(&err, 0, sizeof(err));
	if (rotation_schedule_parse(0, text, duration, &s, &err) != STATUS_OK) {
		FUZZ_CHECK(err.message[0] != '\0');
		free(text);
		return 0;
	}
	for (int i = 0; i < 3; i++) {
		if (rotation_schedule_next(&s, base, &start, &end) != STATUS_OK)
			break;
		FUZZ_CHECK(start < end);
		FUZZ_CHECK(end > base);
		base = end;
	}
	(void)rotation_schedule_days(&s, base);
	free(text);
	return 0;
}
