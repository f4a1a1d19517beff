/*
 * maintenance.h: background jobs of the server (the purge of secrets whose
 * recovery window ended).
 */
#ifndef SESAME_MAINTENANCE_H
#define SESAME_MAINTENANCE_H

#include "api/api.h"

struct maintenance;

/* Run the jobs now and then every interval_seconds until stopped. */
enum status	 maintenance_start(const struct api_env *env,
		    unsigned interval_seconds, struct maintenance **out);
void		 maintenance_stop(struct maintenance *m);

#endif
