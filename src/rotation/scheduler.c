/*
 * scheduler.c: finds the rotations that are due and runs them.
 *
 * Due means: a rotation is pending and its next attempt is due (RotateSecret
 * asked for it, or a failed attempt waited its retry delay), or rotation is
 * on and the moment drawn for it inside the next window has come (a hash of
 * the secret and the window, core_rotation_start_at, so secrets that share
 * a schedule do not all rotate at once).  A window that opened while the
 * server was down is still due when it starts: the rotation runs late
 * rather than never.  For AutomaticallyAfterDays and rate(N days), a value
 * written since the last rotation (PutSecretValue, UpdateSecret) counts as
 * one, as on AWS: the window moves instead.
 *
 * Each attempt is claimed in the store with a lease naming this process
 * (host:pid:nonce), renewed at every step, so one secret never has two
 * attempts at once.  A lease is dead when its time is up, or at once when
 * its owner ran on this host and that process is gone (kill -9), so a
 * restart resumes an interrupted rotation without waiting.
 *
 * Thread-safety: a scheduler is used by one thread.  lease_is_live reads
 * state written once by rotation_scheduler_new.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include "common/log.h"
#include "rotation/rotation.h"

#define DUE_BATCH		64
#define OWNER_MAX		320

struct rotation_scheduler {
	struct rotation_config	 cfg;
	bool			 was_endpoint_down;	/* logged once */
};

/* Who this process is, as lease owners name it. */
static char	 my_host[256];
static char	 my_owner[OWNER_MAX];
static pid_t	 my_pid;

static bool
lease_is_live(const char *owner, int64_t until, int64_t now_ms)
{
	char		 host[256];
	const char	*p, *q;
	char		*end;
	long		 pid;
	size_t		 n;

	if (owner == NULL || until <= now_ms)
		return false;
	if (strcmp(owner, my_owner) == 0)
		return true;
	/* host:pid:nonce */
	if ((p = strrchr(owner, ':')) == NULL || p == owner)
		return true;
	for (q = p - 1; q > owner && *q != ':'; q--)
		;
	if (*q != ':')
		return true;
	n = (size_t)(q - owner);
	if (n >= sizeof(host))
		return true;
	memcpy(host, owner, n);
	host[n] = '\0';
	if (strcmp(host, my_host) != 0)
		return true;		/* another machine: trust the time */
	pid = strtol(q + 1, &end, 10);
	if (end != p || pid <= 0)
		return true;
	if ((pid_t)pid == my_pid)
		return false;		/* an earlier life of this pid */
	return kill((pid_t)pid, 0) == 0 || errno == EPERM;
}

enum status
rotation_scheduler_new(const struct rotation_config *cfg,
    struct rotation_scheduler **out)
{
	struct rotation_scheduler *s;
	char		 nonce[37];
	enum status	 st;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return STATUS_NO_MEMORY;
	s->cfg = *cfg;
	if (s->cfg.retry_seconds <= 0)
		s->cfg.retry_seconds = 300;
	if (s->cfg.function_timeout_seconds <= 0)
		s->cfg.function_timeout_seconds = 60;
	if ((st = core_uuid(nonce)) != STATUS_OK) {
		free(s);
		return st;
	}
	if (gethostname(my_host, sizeof(my_host)) != 0)
		snprintf(my_host, sizeof(my_host), "localhost");
	my_host[sizeof(my_host) - 1] = '\0';
	for (char *p = my_host; *p; p++)
		if (*p == ':')
			*p = '_';
	my_pid = getpid();
	snprintf(my_owner, sizeof(my_owner), "%s:%ld:%s", my_host,
	    (long)my_pid, nonce);
	*out = s;
	return STATUS_OK;
}

const struct rotation_config *
rotation_scheduler_config(const struct rotation_scheduler *s)
{
	return &s->cfg;
}

void
rotation_scheduler_free(struct rotation_scheduler *s)
{
	free(s);
}

static bool
should_stop(const struct rotation_scheduler *s)
{
	return s->cfg.should_stop != NULL &&
	    s->cfg.should_stop(s->cfg.should_stop_arg);
}

/*
 * AutomaticallyAfterDays counts from the last change of the value: when
 * AWSCURRENT is newer than the last rotation and its own window has not
 * come, move the window there.  True when the row was rescheduled.
 */
static bool
value_changed_since(const struct rotation_scheduler *s,
    const struct rotation_record *row, int64_t now_ms)
{
	struct rotation_schedule sched;
	struct core_rotation_plan plan;
	struct error	 err;

	if (row->pending_version_id != NULL ||
	    row->current_created_at <= row->last_rotated_at ||
	    rotation_schedule_parse(row->after_days, row->schedule_expression,
	    row->duration, &sched, &err) != STATUS_OK ||
	    sched.kind != ROTATION_SCHEDULE_DAYS)
		return false;
	memset(&plan, 0, sizeof(plan));
	if (rotation_schedule_next(&sched, row->current_created_at,
	    &plan.next_window_at, &plan.next_window_end_at) != STATUS_OK ||
	    plan.next_window_at <= now_ms ||
	    plan.next_window_at == row->next_window_at)
		return false;
	plan.display_days = row->display_days;
	if (core_rotation_reschedule(s->cfg.env, row->secret_id, &plan,
	    now_ms) != STATUS_OK)
		return false;
	log_info("rotation of %s: the value changed since the last rotation; "
	    "the next window moves accordingly", row->secret_arn);
	return true;
}

static bool
is_builtin(const struct rotation_record *row)
{
	const char *name = rotation_function_name(row->lambda_arn);

	return name != NULL && strncmp(name, ROTATION_BUILTIN_PREFIX,
	    strlen(ROTATION_BUILTIN_PREFIX)) == 0;
}

void
rotation_scheduler_run_due(struct rotation_scheduler *s)
{
	struct rotation_record	*rows = NULL;
	size_t			 count = 0;
	int			 endpoint = -1;	/* unknown, down, up */
	int64_t			 now = rotation_now_ms(&s->cfg);
	enum status		 st;

	if ((st = core_rotation_keys_sweep(s->cfg.env, now, lease_is_live)) !=
	    STATUS_OK)
		log_error("rotation: cannot sweep old access keys (%s)",
		    status_name(st));
	if ((st = core_rotation_due(s->cfg.env, now, DUE_BATCH, &rows,
	    &count)) != STATUS_OK) {
		log_error("rotation: cannot read the due rotations (%s)",
		    status_name(st));
		return;
	}
	for (size_t i = 0; i < count && !should_stop(s); i++) {
		const struct rotation_record	*row = &rows[i];
		struct core_rotation_claim_input in;
		struct core_rotation_claim	 claim;
		struct rotation_attempt		 attempt;
		struct error			 err;

		now = rotation_now_ms(&s->cfg);
		if (row->lease_owner != NULL &&
		    strcmp(row->lease_owner, my_owner) != 0 &&
		    lease_is_live(row->lease_owner, row->lease_until, now))
			continue;
		if (value_changed_since(s, row, now))
			continue;
		/* The window is open, its moment has not come. */
		if (!core_rotation_is_due(row, now))
			continue;
		/* External functions call back: wait for the listener. */
		if (!is_builtin(row)) {
			if (endpoint < 0)
				endpoint = rotator_function_endpoint_ready(
				    s->cfg.endpoint_url) ? 1 : 0;
			if (endpoint == 0) {
				if (!s->was_endpoint_down)
					log_warn("rotation: the API endpoint %s "
					    "does not answer yet; rotations by "
					    "functions wait", s->cfg.endpoint_url);
				s->was_endpoint_down = true;
				continue;
			}
			s->was_endpoint_down = false;
		}
		memset(&in, 0, sizeof(in));
		memset(&claim, 0, sizeof(claim));
		error_clear(&err);
		in.secret_id = row->secret_id;
		in.owner = my_owner;
		in.now_ms = now;
		in.lease_until = now + (s->cfg.function_timeout_seconds + 60) *
		    1000;
		in.lease_is_live = lease_is_live;
		st = core_rotation_claim(s->cfg.env, &in, &claim, &err);
		if (st == STATUS_NOT_FOUND)
			continue;
		if (st != STATUS_OK) {
			log_error("rotation of %s: cannot start an attempt (%s)",
			    row->secret_arn, err.message[0] != '\0' ?
			    err.message : status_name(st));
			continue;
		}
		attempt.cfg = &s->cfg;
		attempt.claim = &claim;
		attempt.owner = my_owner;
		(void)rotation_run(&attempt);
		core_rotation_claim_cleanup(&claim);
	}
	rotation_records_free(rows, count);
}
