/*
 * utc_time.c: seconds since the epoch as an ISO 8601 UTC time.
 *
 * The date is Howard Hinnant's civil_from_days: days counted from
 * 0000-03-01 split into 400-year eras of 146,097 days, so leap years need
 * no loop.  UTC has no leap seconds in time_t, so the time of day is the
 * remainder.
 */
#include "common/utc_time.h"

/* 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z. */
#define UTC_TIME_MIN	(-62167219200LL)
#define UTC_TIME_MAX	253402300799LL

static void
put_digits(char *out, unsigned int value, int width)
{
	for (int i = width - 1; i >= 0; i--) {
		out[i] = (char)('0' + value % 10);
		value /= 10;
	}
}

struct civil {
	unsigned int	 year, month, day, hour, minute, second;
};

static struct civil
civil_from_seconds(int64_t seconds)
{
	struct civil	 c;
	int64_t		 days, secs, era, doe, yoe, doy, mp, y;

	if (seconds < UTC_TIME_MIN)
		seconds = UTC_TIME_MIN;
	if (seconds > UTC_TIME_MAX)
		seconds = UTC_TIME_MAX;
	days = seconds / 86400;
	secs = seconds % 86400;
	if (secs < 0) {
		secs += 86400;
		days--;
	}
	days += 719468;		/* from 1970-01-01 to 0000-03-01 */
	era = (days >= 0 ? days : days - 146096) / 146097;
	doe = days - era * 146097;			/* [0, 146096] */
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);	/* [0, 365] */
	mp = (5 * doy + 2) / 153;				/* March = 0 */
	c.day = (unsigned int)(doy - (153 * mp + 2) / 5 + 1);
	c.month = (unsigned int)(mp < 10 ? mp + 3 : mp - 9);
	if (c.month <= 2)
		y++;
	c.year = (unsigned int)y;
	c.hour = (unsigned int)(secs / 3600);
	c.minute = (unsigned int)(secs / 60 % 60);
	c.second = (unsigned int)(secs % 60);
	return c;
}

void
utc_time_format_iso(int64_t seconds, char out[UTC_TIME_ISO_LEN + 1])
{
	struct civil	 c = civil_from_seconds(seconds);

	put_digits(out, c.year, 4);
	out[4] = '-';
	put_digits(out + 5, c.month, 2);
	out[7] = '-';
	put_digits(out + 8, c.day, 2);
	out[10] = 'T';
	put_digits(out + 11, c.hour, 2);
	out[13] = ':';
	put_digits(out + 14, c.minute, 2);
	out[16] = ':';
	put_digits(out + 17, c.second, 2);
	out[19] = 'Z';
	out[20] = '\0';
}

void
utc_time_format_basic(int64_t seconds, char out[UTC_TIME_BASIC_LEN + 1])
{
	struct civil	 c = civil_from_seconds(seconds);

	put_digits(out, c.year, 4);
	put_digits(out + 4, c.month, 2);
	put_digits(out + 6, c.day, 2);
	out[8] = 'T';
	put_digits(out + 9, c.hour, 2);
	put_digits(out + 11, c.minute, 2);
	put_digits(out + 13, c.second, 2);
	out[15] = 'Z';
	out[16] = '\0';
}
