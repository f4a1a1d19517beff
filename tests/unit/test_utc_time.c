/*
 * test_utc_time.c: unit tests for utc_time_format_iso and
 * utc_time_format_basic (common/utc_time.c) against glibc's gmtime_r and
 * strftime: the calendar's edges (leap days,
 * centuries, the 400-year rule, the epoch, times before it), a sweep of
 * one instant a day for 400 years, and the clamping at years 0 and 9999.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "common/utc_time.h"

static void
expect_as_gmtime(int64_t seconds)
{
	char		 want[64], got[UTC_TIME_ISO_LEN + 1];
	char		 basic[UTC_TIME_BASIC_LEN + 1];
	time_t		 t = (time_t)seconds;
	struct tm	 tm;

	assert_non_null(gmtime_r(&t, &tm));
	assert_int_equal(strftime(want, sizeof(want), "%Y-%m-%dT%H:%M:%SZ",
	    &tm), UTC_TIME_ISO_LEN);
	memset(got, 'x', sizeof(got));
	utc_time_format_iso(seconds, got);
	assert_string_equal(got, want);

	/* The basic format too (SigV4's X-Amz-Date). */
	assert_int_equal(strftime(want, sizeof(want), "%Y%m%dT%H%M%SZ",
	    &tm), UTC_TIME_BASIC_LEN);
	memset(basic, 'x', sizeof(basic));
	utc_time_format_basic(seconds, basic);
	assert_string_equal(basic, want);
}

static void
test_known_instants(void **state)
{
	char got[UTC_TIME_ISO_LEN + 1];

	(void)state;
	utc_time_format_iso(0, got);
	assert_string_equal(got, "1970-01-01T00:00:00Z");
	utc_time_format_iso(951782400, got);
	assert_string_equal(got, "2000-02-29T00:00:00Z");
	utc_time_format_iso(1795824000 + 3 * 3600 + 14 * 60 + 40, got);
	assert_string_equal(got, "2026-11-28T03:14:40Z");
	utc_time_format_iso(-1, got);
	assert_string_equal(got, "1969-12-31T23:59:59Z");
	utc_time_format_basic(1795824000 + 3 * 3600 + 14 * 60 + 40, got);
	assert_string_equal(got, "20261128T031440Z");
}

static void
test_calendar_edges_match_gmtime(void **state)
{
	static const int64_t	 days[] = {
		/* 1900-02-28, 1900-03-01 (no leap day), 2000-02-29,
		 * 2100-02-28, 2100-03-01, 1600-02-29, 2400-02-29 */
		-25509, -25508, 11016, 47540, 47541, -135081, 157113,
		-1, 0, 1, 365, 366, 730, 1095, 1096,
	};

	(void)state;
	for (size_t i = 0; i < sizeof(days) / sizeof(days[0]); i++)
		for (int64_t s = -1; s <= 1; s++) {
			expect_as_gmtime(days[i] * 86400 + s);
			expect_as_gmtime(days[i] * 86400 + 43200 + s);
		}
}

static void
test_four_centuries_of_days_match_gmtime(void **state)
{
	(void)state;
	/* From 1800 to 2200, one instant a day, its time moving through
	 * the day; then every second of one day. */
	for (int64_t d = -62091; d < -62091 + 146097; d++)
		expect_as_gmtime(d * 86400 + (d * 7919) % 86400);
	for (int64_t s = 0; s < 86400; s++)
		expect_as_gmtime(1795824000 + s);
}

static void
test_out_of_range_is_clamped(void **state)
{
	char got[UTC_TIME_ISO_LEN + 1];
	char basic[UTC_TIME_BASIC_LEN + 1];

	(void)state;
	utc_time_format_iso(INT64_MAX, got);
	assert_string_equal(got, "9999-12-31T23:59:59Z");
	utc_time_format_iso(INT64_MIN, got);
	assert_string_equal(got, "0000-01-01T00:00:00Z");
	utc_time_format_basic(INT64_MAX, basic);
	assert_string_equal(basic, "99991231T235959Z");
	utc_time_format_basic(INT64_MIN, basic);
	assert_string_equal(basic, "00000101T000000Z");
	expect_as_gmtime(253402300799LL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_instants),
		cmocka_unit_test(test_calendar_edges_match_gmtime),
		cmocka_unit_test(test_four_centuries_of_days_match_gmtime),
		cmocka_unit_test(test_out_of_range_is_clamped),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
