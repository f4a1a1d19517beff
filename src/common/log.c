/*
 * log.c: JSON-lines logging to stderr.  The message is escaped so a log line
 * is always one valid JSON object.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/log.h"

static enum log_level	 current_level = LOG_LEVEL_INFO;
static const char *const level_names[] = { "debug", "info", "warn", "error" };

void
log_set_level(enum log_level level)
{
	current_level = level;
}

int
log_level_parse(const char *name, enum log_level *out)
{
	for (size_t i = 0; i < sizeof(level_names) / sizeof(level_names[0]); i++) {
		if (strcmp(name, level_names[i]) == 0) {
			*out = (enum log_level)i;
			return 0;
		}
	}
	return -1;
}

void
log_msg(enum log_level level, const char *fmt, ...)
{
	char		 msg[1024], line[2300], stamp[32];
	size_t		 n = 0;
	struct timespec	 ts;
	struct tm	 tm;
	va_list		 ap;

	if (level < current_level)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm);
	n = (size_t)snprintf(line, sizeof(line),
	    "{\"time\":\"%s.%03ldZ\",\"level\":\"%s\",\"msg\":\"", stamp,
	    ts.tv_nsec / 1000000, level_names[level]);
	for (const unsigned char *p = (const unsigned char *)msg;
	    *p != '\0' && n + 8 < sizeof(line); p++) {
		if (*p == '"' || *p == '\\') {
			line[n++] = '\\';
			line[n++] = (char)*p;
		} else if (*p < 0x20) {
			n += (size_t)snprintf(line + n, sizeof(line) - n,
			    "\\u%04x", *p);
		} else
			line[n++] = (char)*p;
	}
	n += (size_t)snprintf(line + n, sizeof(line) - n, "\"}\n");
	if (n > sizeof(line))
		n = sizeof(line);
	(void)!write(STDERR_FILENO, line, n);
}

void
fatal(const char *fmt, ...)
{
	va_list ap;

	fputs("sesame: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}
