/*
 * maintenance.c: the server's background jobs, on one thread.
 *
 * - The purge of secrets whose recovery window ended: at start (before the
 *   listener opens) and then every purge-interval-seconds.  Each purged
 *   secret is an audit event (EndSecretDeletion).
 * - Rotation (rotation/scheduler.c): due rotations every
 *   rotation-interval-seconds, and at once when RotateSecret rings the
 *   doorbell (core_rotation_wake_set).  The first pass waits a moment for
 *   the listener, because rotation functions call the API back.  Each
 *   rotation step is an audit service event (RotationStarted,
 *   RotationStepSucceeded, RotationSucceeded, RotationFailed, ...).
 *
 * maintenance_stop interrupts a rotation in progress between steps (a
 * running rotation function is killed); the rotation resumes at the next
 * start with the same pending version.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/log.h"
#include "daemon/maintenance.h"
#include "http/http.h"
#include "rotation/rotation.h"

#define ROTATION_FIRST_DELAY_MS	1000

struct maintenance {
	pthread_t		 thread;
	pthread_mutex_t		 lock;
	pthread_cond_t		 wake;
	bool			 is_stopping;		/* guarded by lock */
	bool			 is_rotation_rung;	/* guarded by lock */
	atomic_bool		 stop_requested;	/* read while rotating */
	const struct api_env	*env;
	int64_t			 purge_interval_ms;
	int64_t			 rotation_interval_ms;
	char			*endpoint_url;
	char			*ca_file;
	struct rotation_scheduler *rotation;
};

static int64_t
server_now_ms(const struct api_env *env)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000 +
	    env->clock_offset_ms;
}

static int64_t
monotonic_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
on_purged(void *arg, const struct secret_record *secret, int64_t now_ms)
{
	const struct api_env	*env = arg;
	struct audit_event	 ev;
	char			 request_id[37];

	memset(&ev, 0, sizeof(ev));
	if (core_request_uuid(request_id) != STATUS_OK)
		request_id[0] = '\0';
	ev.request_id = request_id;
	ev.time_ms = now_ms;
	ev.event_source = "secretsmanager.amazonaws.com";
	ev.event_name = "EndSecretDeletion";
	ev.is_service_event = true;
	ev.region = secret->region;
	ev.source_ip = "secretsmanager.amazonaws.com";
	ev.account_id = secret->account_id;
	ev.resource_arn = secret->arn;
	if (audit_record(env->audit, &ev) != STATUS_OK)
		log_error("audit: cannot record the purge of %s", secret->arn);
}

/* The audit hook of rotation: one service event per step. */
static void
on_rotation_event(void *arg, const struct rotation_event *rev)
{
	const struct api_env	*env = arg;
	struct audit_event	 ev;
	json_t			*data;
	char			 request_id[37];

	memset(&ev, 0, sizeof(ev));
	if (core_request_uuid(request_id) != STATUS_OK)
		request_id[0] = '\0';
	data = json_pack("{s:s?, s:s?, s:s?, s:I}", "versionId",
	    rev->version_id, "step", rev->step, "rotationLambdaARN",
	    rev->function_arn, "attempt", (json_int_t)rev->attempt);
	ev.request_id = request_id;
	ev.time_ms = rev->time_ms;
	ev.event_source = "secretsmanager.amazonaws.com";
	ev.event_name = rev->name;
	ev.region = rev->region;
	ev.source_ip = "secretsmanager.amazonaws.com";
	ev.account_id = rev->account_id;
	ev.resource_arn = rev->secret_arn;
	ev.is_service_event = true;
	ev.additional_event_data = data;
	if (rev->error_message != NULL) {
		ev.error_code = rev->name;
		ev.error_message = rev->error_message;
	}
	if (audit_record(env->audit, &ev) != STATUS_OK)
		log_error("audit: cannot record %s of %s", rev->name,
		    rev->secret_arn);
	json_decref(data);
}

/* RotateSecret's doorbell. */
static void
rotation_ring(void *arg)
{
	struct maintenance *m = arg;

	pthread_mutex_lock(&m->lock);
	m->is_rotation_rung = true;
	pthread_cond_signal(&m->wake);
	pthread_mutex_unlock(&m->lock);
}

static bool
rotation_should_stop(void *arg)
{
	struct maintenance *m = arg;

	return atomic_load(&m->stop_requested);
}

/* The purge of deleted secrets, and the KMS keys' own schedule (deletion
 * after the pending window, automatic rotation), on the same timer. */
static void
purge_run(struct maintenance *m)
{
	size_t purged, keys_deleted, keys_rotated;

	if (core_purge_due(&m->env->core, server_now_ms(m->env), on_purged,
	    (void *)m->env, &purged) != STATUS_OK)
		log_error("purge of deleted secrets failed; retrying in %lld s",
		    (long long)(m->purge_interval_ms / 1000));
	if (core_kms_maintain(&m->env->core, server_now_ms(m->env),
	    &keys_deleted, &keys_rotated) != STATUS_OK)
		log_error("KMS key maintenance failed; retrying in %lld s",
		    (long long)(m->purge_interval_ms / 1000));
}

static void *
maintenance_main(void *arg)
{
	struct maintenance	*m = arg;
	struct timespec		 deadline;
	int64_t			 next_purge, next_rotation, now, wait_until;

	now = monotonic_ms();
	next_purge = now + m->purge_interval_ms;
	next_rotation = now + (m->rotation_interval_ms < ROTATION_FIRST_DELAY_MS ?
	    m->rotation_interval_ms : ROTATION_FIRST_DELAY_MS);
	pthread_mutex_lock(&m->lock);
	while (!m->is_stopping) {
		wait_until = next_purge < next_rotation ? next_purge :
		    next_rotation;
		deadline.tv_sec = (time_t)(wait_until / 1000);
		deadline.tv_nsec = (long)(wait_until % 1000) * 1000000;
		while (!m->is_stopping && !m->is_rotation_rung &&
		    pthread_cond_timedwait(&m->wake, &m->lock, &deadline) !=
		    ETIMEDOUT)
			;
		if (m->is_stopping)
			break;
		now = monotonic_ms();
		if (m->is_rotation_rung || now >= next_rotation) {
			m->is_rotation_rung = false;
			pthread_mutex_unlock(&m->lock);
			rotation_scheduler_run_due(m->rotation);
			pthread_mutex_lock(&m->lock);
			next_rotation = monotonic_ms() + m->rotation_interval_ms;
		}
		if (!m->is_stopping && monotonic_ms() >= next_purge) {
			pthread_mutex_unlock(&m->lock);
			purge_run(m);
			pthread_mutex_lock(&m->lock);
			next_purge = monotonic_ms() + m->purge_interval_ms;
		}
	}
	pthread_mutex_unlock(&m->lock);
	return NULL;
}

/* Where rotation functions reach this server. */
static char *
endpoint_url(const struct config *cfg)
{
	struct error	 err;
	char		 host[256], *url = NULL;
	const char	*h = host;
	uint16_t	 port;
	bool		 is_v6;

	if (cfg->rotation_endpoint_url != NULL)
		return strdup(cfg->rotation_endpoint_url);
	if (config_listen_parse(cfg->listen, host, sizeof(host), &port, &err) !=
	    STATUS_OK)
		return NULL;
	if (strcmp(host, "0.0.0.0") == 0 || strcmp(host, "*") == 0)
		h = "127.0.0.1";
	else if (strcmp(host, "::") == 0)
		h = "::1";
	is_v6 = strchr(h, ':') != NULL;
	if (asprintf(&url, "%s://%s%s%s:%u", cfg->tls_cert_file != NULL ?
	    "https" : "http", is_v6 ? "[" : "", h, is_v6 ? "]" : "",
	    (unsigned)port) < 0)
		return NULL;
	return url;
}

static void
maintenance_free(struct maintenance *m)
{
	rotation_scheduler_free(m->rotation);
	pthread_cond_destroy(&m->wake);
	pthread_mutex_destroy(&m->lock);
	free(m->endpoint_url);
	free(m->ca_file);
	free(m);
}

enum status
maintenance_start(const struct api_env *env, const struct config *cfg,
    struct maintenance **out)
{
	struct rotation_config	 rcfg;
	struct maintenance	*m;
	pthread_condattr_t	 attr;
	enum status		 st;

	if ((m = calloc(1, sizeof(*m))) == NULL)
		return STATUS_NO_MEMORY;
	m->env = env;
	m->purge_interval_ms = (cfg->purge_interval_seconds > 0 ?
	    cfg->purge_interval_seconds : 60) * 1000;
	m->rotation_interval_ms = (cfg->rotation_interval_seconds > 0 ?
	    cfg->rotation_interval_seconds : 60) * 1000;
	atomic_init(&m->stop_requested, false);
	pthread_mutex_init(&m->lock, NULL);
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&m->wake, &attr);
	pthread_condattr_destroy(&attr);
	if ((m->endpoint_url = endpoint_url(cfg)) == NULL ||
	    (cfg->tls_cert_file != NULL &&
	    (m->ca_file = strdup(cfg->tls_cert_file)) == NULL)) {
		maintenance_free(m);
		return STATUS_NO_MEMORY;
	}
	memset(&rcfg, 0, sizeof(rcfg));
	rcfg.env = &env->core;
	rcfg.endpoint_url = m->endpoint_url;
	rcfg.ca_file = strncmp(m->endpoint_url, "https:", 6) == 0 ?
	    m->ca_file : NULL;
	rcfg.clock_offset_ms = env->clock_offset_ms;
	rcfg.retry_seconds = cfg->rotation_retry_seconds;
	rcfg.function_timeout_seconds = cfg->rotation_function_timeout_seconds;
	/* RotateSecret waits for its test on a blocking-pool thread (it is
	 * a write); the function's own writes need one free there. */
	rcfg.function_tests_max = (int64_t)http_default_blocking_threads() - 1;
	rcfg.on_event = on_rotation_event;
	rcfg.on_event_arg = (void *)env;
	rcfg.should_stop = rotation_should_stop;
	rcfg.should_stop_arg = m;
	if ((st = rotation_scheduler_new(&rcfg, &m->rotation)) != STATUS_OK) {
		maintenance_free(m);
		return st;
	}
	purge_run(m);	/* before the first request is served */
	if (pthread_create(&m->thread, NULL, maintenance_main, m) != 0) {
		maintenance_free(m);
		return STATUS_INTERNAL;
	}
	core_rotation_wake_set(rotation_ring, m);
	rotation_function_test_config_set(rotation_scheduler_config(
	    m->rotation));
	log_debug("rotation: functions call back at %s", m->endpoint_url);
	*out = m;
	return STATUS_OK;
}

void
maintenance_stop(struct maintenance *m)
{
	if (m == NULL)
		return;
	core_rotation_wake_set(NULL, NULL);
	atomic_store(&m->stop_requested, true);
	/* A function test under way sees the stop, ends, and lets go. */
	rotation_function_test_config_set(NULL);
	pthread_mutex_lock(&m->lock);
	m->is_stopping = true;
	pthread_cond_signal(&m->wake);
	pthread_mutex_unlock(&m->lock);
	pthread_join(m->thread, NULL);
	maintenance_free(m);
}
