/*
 * maintenance.c: the server's background jobs, on one thread: today the
 * purge of secrets whose recovery window ended, at start (before the
 * listener opens) and then every interval.  Each purged secret is an audit event (EndSecretDeletion).
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/log.h"
#include "daemon/maintenance.h"

struct maintenance {
	pthread_t		 thread;
	pthread_mutex_t		 lock;
	pthread_cond_t		 wake;
	bool			 is_stopping;
	const struct api_env	*env;
	unsigned		 interval_seconds;
};

static int64_t
server_now_ms(const struct api_env *env)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000 +
	    env->clock_offset_ms;
}

static void
on_purged(void *arg, const struct secret_record *secret, int64_t now_ms)
{
	const struct api_env	*env = arg;
	struct audit_event	 ev;
	char			 request_id[37];

	memset(&ev, 0, sizeof(ev));
	if (core_uuid(request_id) != STATUS_OK)
		request_id[0] = '\0';
	ev.request_id = request_id;
	ev.time_ms = now_ms;
	ev.event_source = "secretsmanager.amazonaws.com";
	ev.event_name = "EndSecretDeletion";
	ev.region = secret->region;
	ev.source_ip = "secretsmanager.amazonaws.com";
	ev.account_id = secret->account_id;
	ev.resource_arn = secret->arn;
	if (audit_record(env->audit, &ev) != STATUS_OK)
		log_error("audit: cannot record the purge of %s", secret->arn);
}

static void
jobs_run(struct maintenance *m)
{
	size_t purged;

	if (core_purge_due(&m->env->core, server_now_ms(m->env), on_purged,
	    (void *)m->env, &purged) != STATUS_OK)
		log_error("purge of deleted secrets failed; retrying in %u s",
		    m->interval_seconds);
}

static void *
maintenance_main(void *arg)
{
	struct maintenance	*m = arg;
	struct timespec		 deadline;

	pthread_mutex_lock(&m->lock);
	while (!m->is_stopping) {
		clock_gettime(CLOCK_REALTIME, &deadline);
		deadline.tv_sec += m->interval_seconds;
		while (!m->is_stopping && pthread_cond_timedwait(&m->wake,
		    &m->lock, &deadline) != ETIMEDOUT)
			;
		if (m->is_stopping)
			break;
		pthread_mutex_unlock(&m->lock);
		jobs_run(m);
		pthread_mutex_lock(&m->lock);
	}
	pthread_mutex_unlock(&m->lock);
	return NULL;
}

enum status
maintenance_start(const struct api_env *env, unsigned interval_seconds,
    struct maintenance **out)
{
	struct maintenance *m;

	if ((m = calloc(1, sizeof(*m))) == NULL)
		return STATUS_NO_MEMORY;
	m->env = env;
	m->interval_seconds = interval_seconds > 0 ? interval_seconds : 60;
	pthread_mutex_init(&m->lock, NULL);
	pthread_cond_init(&m->wake, NULL);
	jobs_run(m);	/* before the first request is served */
	if (pthread_create(&m->thread, NULL, maintenance_main, m) != 0) {
		pthread_cond_destroy(&m->wake);
		pthread_mutex_destroy(&m->lock);
		free(m);
		return STATUS_INTERNAL;
	}
	*out = m;
	return STATUS_OK;
}

void
maintenance_stop(struct maintenance *m)
{
	if (m == NULL)
		return;
	pthread_mutex_lock(&m->lock);
	m->is_stopping = true;
	pthread_cond_signal(&m->wake);
	pthread_mutex_unlock(&m->lock);
	pthread_join(m->thread, NULL);
	pthread_cond_destroy(&m->wake);
	pthread_mutex_destroy(&m->lock);
	free(m);
}
