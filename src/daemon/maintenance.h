/*
 * maintenance.h: background jobs of the server (the purge of secrets whose
 * recovery window ended, the rotation scheduler).
 */
#ifndef SESAME_MAINTENANCE_H
#define SESAME_MAINTENANCE_H

#include "api/api.h"
#include "daemon/config.h"

struct maintenance;

/* Purge now, then run the jobs on a thread until stopped: the purge every
 * purge-interval-seconds, rotations every rotation-interval-seconds and
 * whenever RotateSecret starts one (cfg: those options and where rotation
 * functions reach the API).  env and cfg must outlive the jobs. */
enum status	 maintenance_start(const struct api_env *env,
		    const struct config *cfg, struct maintenance **out);
void		 maintenance_stop(struct maintenance *m);

#endif
