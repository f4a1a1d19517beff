/*
 * log.h: structured logs to stderr, one JSON object per line.
 *
 * Thread-safe (one write(2) per line).  Never pass secret values here:
 * callers log names, ids and statuses only.
 */
#ifndef SESAME_LOG_H
#define SESAME_LOG_H

enum log_level { LOG_LEVEL_DEBUG, LOG_LEVEL_INFO, LOG_LEVEL_WARN, LOG_LEVEL_ERROR };

void	 log_set_level(enum log_level level);
int	 log_level_parse(const char *name, enum log_level *out);
void	 log_msg(enum log_level level, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

#define log_debug(...)	log_msg(LOG_LEVEL_DEBUG, __VA_ARGS__)
#define log_info(...)	log_msg(LOG_LEVEL_INFO, __VA_ARGS__)
#define log_warn(...)	log_msg(LOG_LEVEL_WARN, __VA_ARGS__)
#define log_error(...)	log_msg(LOG_LEVEL_ERROR, __VA_ARGS__)

/* Print "sesame: message" to stderr and exit(1).  Start-up only. */
void	 fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

#endif
