/*
 * daemon.h: the sesame command's subcommands and what they share.
 */
#ifndef SESAME_DAEMON_H
#define SESAME_DAEMON_H

#include "core/core.h"
#include "daemon/config.h"

#define DB_FILE_NAME		"sesame.db"
#define CREDENTIALS_FILE_NAME	"credentials"
#define META_ROOT_KEY_CHECK	"root_key_check"

int	 cmd_server(int argc, char **argv);
int	 cmd_init(int argc, char **argv);
int	 cmd_admin(int argc, char **argv);

/* Load the root key (SESAME_ROOT_KEY, else cfg->root_key_file). */
enum status	 data_dir_root_key(const struct config *cfg,
		    struct secret_buf **out, struct error *err);
/* Open an initialised data folder: the store, the keyring, and the proof
 * that the root key is the one the data was written under. */
enum status	 data_dir_open(const struct config *cfg, struct core_env *env,
		    struct error *err);
void		 data_dir_close(struct core_env *env);

/* Parse "--name value" / "--name=value" flags of the option table into cfg;
 * stops at the first non-flag argument and returns its index, or -1 on
 * error (message printed).  --config FILE is read in order. */
int		 flags_parse(int argc, char **argv, struct config *cfg,
		    const char *const *extra, const char **extra_values);

#endif
