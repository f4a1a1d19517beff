/*
 * utc_time.h: seconds since the epoch as an ISO 8601 UTC time (extended
 * or basic format), without gmtime_r(3).
 *
 * glibc's gmtime_r takes the process-wide time zone lock even for UTC;
 * the request path formats a time for every audit event, so the HTTP
 * workers queued on that lock.  This is arithmetic only (the proleptic
 * Gregorian calendar, as gmtime_r), safe from any thread.
 */
#ifndef SESAME_UTC_TIME_H
#define SESAME_UTC_TIME_H

#include <stdint.h>

/* The length of "YYYY-MM-DDTHH:MM:SSZ", without the terminator. */
#define UTC_TIME_ISO_LEN	20

/*
 * Writes seconds (years 0 to 9999; others are clamped to those bounds)
 * as "YYYY-MM-DDTHH:MM:SSZ" into out.
 */
void	 utc_time_format_iso(int64_t seconds,
	    char out[UTC_TIME_ISO_LEN + 1]);

/* The length of ISO 8601's basic format, "YYYYMMDDTHHMMSSZ" (SigV4's
 * X-Amz-Date), without the terminator. */
#define UTC_TIME_BASIC_LEN	16

/* The same, in the basic format. */
void	 utc_time_format_basic(int64_t seconds,
	    char out[UTC_TIME_BASIC_LEN + 1]);

#endif
