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
/* `sesame admin function ...` and `sesame admin rotation-status`; argv is
 * cmd_admin's, argv[command_index] the command (admin_rotation.c). */
int	 cmd_admin_rotation(int argc, char **argv, int command_index);
int	 cmd_audit(int argc, char **argv);

struct audit_file_closed;

/* audit_config.on_file_closed for the server: records the latest signed
 * audit file in the database (arg: the struct core_env). */
void		 audit_anchor_save(void *arg,
		    const struct audit_file_closed *closed);

/* Load the root key from cfg->root_key_source (file, env, pkcs11; auto:
 * SESAME_ROOT_KEY when set, else cfg->root_key_file). */
enum status	 data_dir_root_key(const struct config *cfg,
		    struct secret_buf **out, struct error *err);
/* Hand a (new) root key to a source: "file" replaces root-key-file
 * atomically, "pkcs11" has the token encrypt it into
 * pkcs11-wrapped-key-file, "env" writes nothing (the operator holds it). */
enum status	 data_dir_root_key_store(const struct config *cfg,
		    const char *source, const struct secret_buf *key,
		    struct error *err);
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
