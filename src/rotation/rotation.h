/*
 * rotation.h: the rotation of secrets.
 *
 *   schedule.c       RotationRules: rate() and cron() expressions, windows
 *   scheduler.c      finds due rotations and claims them (one at a time per
 *                    secret, across restarts and processes)
 *   rotation_run.c   drives createSecret, setSecret, testSecret, finishSecret
 *   rotator_function.c  external rotation functions (a local executable or
 *                    an HTTP endpoint registered under a Lambda-style ARN)
 *   db_credentials.c the built-in database rotators' table and secret format
 *                    (rotator.h; rotator_mysql.c and rotator_postgres.c)
 *
 * rotation/ calls core/ (never api/): every change to a secret goes through
 * core's operations with a service request (core_service_request_init),
 * and the rotation state lives in the store (core.h, "rotation").
 *
 * Thread-safety: schedule functions are pure; a struct rotation_scheduler is
 * used by one thread (the server's maintenance thread); rotation_preflight
 * and rotation_plan may run on any thread.
 */
#ifndef SESAME_ROTATION_H
#define SESAME_ROTATION_H

#include <stdbool.h>
#include <stdint.h>

#include "common/status.h"
#include "core/core.h"
#include "rotation/rotator.h"

/* ---- schedules (schedule.c) ---- */

#define ROTATION_HOUR_MS	(3600LL * 1000)

enum rotation_schedule_kind {
	ROTATION_SCHEDULE_NONE,		/* no RotationRules: rotate on demand */
	ROTATION_SCHEDULE_DAYS,		/* AutomaticallyAfterDays or rate(N days) */
	ROTATION_SCHEDULE_HOURS,	/* rate(N hours) */
	ROTATION_SCHEDULE_CRON,		/* cron(...) */
};

struct rotation_schedule {
	enum rotation_schedule_kind kind;
	int		 interval;		/* DAYS: days; HOURS: hours */
	int		 duration_hours;	/* Duration; 0: the default window */
	/* Several windows a day (rate in hours, cron with several hours):
	 * the default window is one hour, else it closes at midnight. */
	bool		 is_hourly;
	/* cron: one bit per allowed value */
	uint32_t	 hours;			/* bit h: a window opens at h:00 */
	uint32_t	 days_of_month;		/* bits 1..31 */
	uint16_t	 months;		/* bits 1..12 */
	uint8_t		 days_of_week;		/* bits 1..7, 1 = Sunday */
	bool		 uses_day_of_week;	/* day-of-month is '?' */
	bool		 is_last_day;		/* day-of-month L */
	bool		 is_last_weekday;	/* day-of-month LW */
	uint32_t	 nearest_weekdays;	/* day-of-month nW: bit n */
	uint8_t		 last_days_of_week;	/* day-of-week dL: bit d */
	uint8_t		 nth_days_of_week[8];	/* day-of-week d#n: bit n of [d] */
};

/*
 * Parse RotationRules as Secrets Manager checks them: at most one of
 * after_days (> 0) and expression; duration "Nh" or NULL.  Neither given
 * is ROTATION_SCHEDULE_NONE.  STATUS_INVALID_PARAMETER with AWS's message
 * ("Invalid schedule expression.", "Rate in hour should be least 4 and less
 * than 24.", ...).
 */
enum status	 rotation_schedule_parse(int64_t after_days,
		    const char *expression, const char *duration,
		    struct rotation_schedule *out, struct error *err);
/*
 * The next rotation window [*start_ms, *end_ms).  DAYS: the window of the
 * day base_ms + interval days (base_ms is the last rotation, or when the
 * schedule was set); HOURS and CRON: the first window that opens after
 * base_ms.  Windows open on the hour, UTC.  STATUS_NOT_FOUND when there is
 * none (NONE, or a cron that never fires within five years).
 */
enum status	 rotation_schedule_next(const struct rotation_schedule *s,
		    int64_t base_ms, int64_t *start_ms, int64_t *end_ms);
/* The AutomaticallyAfterDays DescribeSecret shows for s (at least 1), as
 * seen from now_ms; 0 for NONE. */
int64_t		 rotation_schedule_days(const struct rotation_schedule *s,
		    int64_t now_ms);

/* core_rotation_plan_fn for RotateSecret and the scheduler: parse rules and
 * compute the next window from last_rotated_at (DAYS) or now_ms.  arg is
 * unused. */
enum status	 rotation_plan(void *arg, const struct core_rotation_rules *rules,
		    int64_t last_rotated_at, int64_t now_ms,
		    struct core_rotation_plan *out, struct error *err);

/* ---- rotation functions ---- */

/*
 * Built-in rotators are selected with RotationLambdaARN
 * arn:aws:lambda:REGION:ACCOUNT:function:NAME where NAME is one of
 *   sesame-builtin-mysql-single-user       sesame-builtin-mysql-alternating-users
 *   sesame-builtin-postgres-single-user    sesame-builtin-postgres-alternating-users
 * (mysql also serves MariaDB).  Any other name must be registered with
 * `sesame admin function register`.
 */
struct rotation_builtin {
	const char		*name;		/* "sesame-builtin-mysql-single-user" */
	const char		*engine;	/* rotator_ops.engine: "mysql" */
	enum rotation_strategy	 strategy;
};

/* The built-in named function_name; NULL when it is not one. */
const struct rotation_builtin *rotation_builtin_find(const char *function_name);
/* The function name of a Lambda ARN (after ":function:"), or NULL when arn
 * is not arn:aws:lambda:REGION:ACCOUNT:function:NAME. */
const char	*rotation_function_name(const char *arn);

/*
 * core_rotation_preflight_fn for RotateSecret: the function can be invoked
 * (a built-in, or a registered function whose command exists or whose URL
 * is well-formed), and a built-in database rotator can log in with the
 * secret's current credentials (and the master's, for alternating users).
 * When no rotation starts now (rotate_immediately false), an external
 * function is tried as AWS tries a Lambda function: a copy of AWSCURRENT
 * is stored as an AWSPENDING version, the function runs its testSecret
 * step on it, and the label is removed again (rotation_function_test).
 * For a function, *master_arn gets the master secret AWSCURRENT's
 * "masterarn" names (full ARN, malloc'd; left NULL when none): the one
 * other secret the function's credentials may read, fixed here.
 * arg is unused.  STATUS_ACCESS_DENIED (AWS's "cannot invoke" message) for
 * an unknown function; STATUS_INVALID_REQUEST with a message naming the
 * problem otherwise.
 */
enum status	 rotation_preflight(void *arg, struct core_request *req,
		    const struct secret_record *secret, const char *lambda_arn,
		    bool rotate_immediately, char **master_arn,
		    struct error *err);
/*
 * The configuration function tests run with (the scheduler's: endpoint,
 * CA, timeouts, should_stop), set by the server once its scheduler exists
 * and cleared (NULL) before the scheduler goes; cfg must stay valid until
 * then.  Without one, functions are not tried.  Thread-safe: a test holds
 * the configuration (a read lock) while it runs; clearing waits for it.
 */
struct rotation_config;
void		 rotation_function_test_config_set(
		    const struct rotation_config *cfg);

/* ---- events (the audit hook) ---- */

struct rotation_event {
	const char	*name;		/* "RotationStarted", "RotationStepSucceeded",
					 * "RotationStepFailed", "RotationSucceeded",
					 * "RotationFailed", "RotationAbandoned" */
	int64_t		 time_ms;
	const char	*account_id;
	const char	*region;
	const char	*secret_arn;
	const char	*function_arn;
	const char	*version_id;	/* the rotation's ClientRequestToken */
	const char	*step;		/* NULL for the rotation as a whole */
	int64_t		 attempt;
	const char	*error_message;	/* failures; never a secret value */
};

typedef void (*rotation_event_fn)(void *arg, const struct rotation_event *ev);

/* ---- the scheduler and the runner (scheduler.c, rotation_run.c) ---- */

struct rotation_config {
	const struct core_env	*env;
	/* Where external functions call back (AWS_ENDPOINT_URL) and the CA
	 * bundle they trust for it (NULL: plain HTTP or the system's). */
	const char		*endpoint_url;
	const char		*ca_file;
	int64_t			 clock_offset_ms;	/* tests only */
	int64_t			 retry_seconds;		/* after a failed attempt */
	int64_t			 function_timeout_seconds;	/* default */
	/* RotateSecret's function tests at once (each holds an HTTP thread
	 * while the function calls back on another): at most the server's
	 * HTTP threads less one; 0: one. */
	int64_t			 function_tests_max;
	rotation_event_fn	 on_event;		/* may be NULL */
	void			*on_event_arg;
	/* Polled between steps and while a function runs. */
	bool			(*should_stop)(void *arg);
	void			*should_stop_arg;
};

struct rotation_scheduler;

/* cfg is copied; its strings must outlive the scheduler. */
enum status	 rotation_scheduler_new(const struct rotation_config *cfg,
		    struct rotation_scheduler **out);
/* The scheduler's copy of its configuration (for function tests). */
const struct rotation_config *rotation_scheduler_config(
		    const struct rotation_scheduler *s);
void		 rotation_scheduler_free(struct rotation_scheduler *s);
/* Run every rotation that is due now, one after another, and delete
 * rotation access keys nobody holds any more.  Returns early when
 * should_stop says so; an interrupted rotation resumes later. */
void		 rotation_scheduler_run_due(struct rotation_scheduler *s);
/* The server's clock (with the test offset), in milliseconds. */
int64_t		 rotation_now_ms(const struct rotation_config *cfg);

/* What one attempt works on (filled by core_rotation_claim). */
struct rotation_attempt {
	const struct rotation_config	*cfg;
	struct core_rotation_claim	*claim;
	const char			*owner;	/* the lease owner */
};

/* Drive the four steps of one claimed attempt and record the outcome
 * (core_rotation_finish).  STATUS_OK when the rotation completed. */
enum status	 rotation_run(const struct rotation_attempt *a);

/* ---- external functions (rotator_function.c) ---- */

/* Invoke one step of a registered function with the rotation event
 * {SecretId, ClientRequestToken, Step, RotationToken} and the attempt's
 * temporary credentials (claim->credentials).  STATUS_OK when the function reported success; otherwise a
 * status with a message fit for DescribeSecret (no output of the function:
 * that goes to the server log). */
enum status	 rotator_function_invoke(const struct rotation_attempt *a,
		    const struct rotation_function_record *fn, const char *step,
		    struct error *err);
/* Registration checks: an absolute path to an executable, or an http://
 * URL on a loopback address. */
enum status	 rotator_function_check(const char *kind, const char *target,
		    struct error *err);
/* Does the API endpoint functions call back accept connections yet? */
bool		 rotator_function_endpoint_ready(const char *endpoint_url);

#endif
