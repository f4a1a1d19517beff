/*
 * audit_sink_file.c: the log as a folder of numbered files.
 *
 * One process writes a folder (an exclusive flock on the folder itself).  Each
 * event is chained (sequence number, hash of the previous line) and written
 * with one write(2) under the sink's mutex (its line's hash is begun before,
 * over the body, and only finished there); a write that fails or falls short
 * is cut back off the file, so a file only ever holds whole lines.  A file is
 * closed with a signed digest line when it would grow past file_max_bytes,
 * when its first event is rotate_seconds old, at shutdown, and when it turns
 * out to have been removed, replaced or changed by someone else; the next file
 * is then opened (at once, or at the next event after an age rotation).  Files
 * are opened by path, never relative to an old descriptor, so a folder that
 * was moved away or replaced makes writes fail (fail closed) instead of
 * silently going elsewhere.
 *
 * Before each write the path is checked to still name the file being
 * written, with the size this process wrote: a file deleted, replaced,
 * truncated or appended to behind our back is signed off as it is and the
 * log continues in a new file, where `sesame audit verify` will point at
 * the damage.  The check is a stat(2) when inotify says something may have
 * happened (audit_file_watch.c: removal and replacement are always seen
 * before the next write), and once per flusher tick for what inotify cannot
 * tell from our own writes (a truncate(2) or a writer that keeps the file
 * open: seen within a tick, and the events written meanwhile are still in
 * the file).
 *
 * Durability: a line is in the kernel when audit_record returns (it
 * survives the process crashing).  With sync_interval_ms > 0 a background
 * thread fdatasyncs the file at most that long after a write (it survives
 * power loss after that); with 0 every event is fdatasynced before the
 * request is answered.  Digests are always fsynced, with the folder when a
 * file is created: by the flusher, woken at once, when events are synced in
 * the background (struct sink_closing), so that no request waits on a
 * rotation's flushes; before the request that filled the file is answered
 * when every event is synced.
 *
 * At start-up a file left without a digest (the process died) is read back,
 * a partial last line (never acknowledged) is cut off, and it is signed with
 * reason "recovered", so the chain continues without a gap.
 *
 * Thread-safety: append may run on any thread; the flusher thread shares
 * the mutex; open and close must not race with anything.
 */
#include <sys/file.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "audit/audit_internal.h"
#include "common/log.h"

struct audit_file_sink {
	pthread_mutex_t		 lock;
	pthread_cond_t		 wake;
	pthread_t		 flusher;
	bool			 has_flusher;
	bool			 is_stopping;

	char			*dir;
	int			 lock_fd;
	struct secret_buf	*key;
	char			 key_id[AUDIT_KEY_ID_HEX_LEN + 1];
	int64_t			 file_max_bytes;
	int64_t			 rotate_seconds;
	int64_t			 sync_interval_ms;
	audit_file_closed_fn	 on_file_closed;
	void			*on_file_closed_arg;

	/* the chain */
	int64_t			 next_sequence;
	char			 head[AUDIT_HASH_HEX_LEN + 1];
	uint64_t		 lost_count;

	/* the current file: fd -1 when none is open */
	int			 fd;
	struct audit_file_watch	 watch;
	bool			 needs_look;	/* stat before the next write */
	uint64_t		 file_number;	/* current, or last closed */
	char			 name[AUDIT_FILE_NAME_MAX];
	char			 path[PATH_MAX];
	dev_t			 dev;
	ino_t			 ino;
	off_t			 size;		/* bytes this process wrote */
	int64_t			 first_sequence;
	int64_t			 opened_at_ms;
	int64_t			 first_event_mono_ms;	/* 0: no event yet */
	bool			 is_dirty;
	int64_t			 synced_mono_ms;
	int64_t			 create_error_logged_mono_ms;

	/* Files signed and not yet synced, closed and anchored (struct
	 * sink_closing): queued for the flusher under lock, completed in
	 * the order they were signed, one at a time, under closing_lock. */
	struct sink_closing	*pending;
	struct sink_closing	*pending_tail;
	uint64_t		 closings_sealed;	/* under lock */
	pthread_mutex_t		 closing_lock;
	pthread_cond_t		 closing_done;
	uint64_t		 closings_completed;	/* under closing_lock */
};

/*
 * A file signed under the lock whose slow part is left to the flusher
 * thread: the flush of its last bytes and digest, its close, the folder's
 * flush when the next file was created, and the anchor in the database
 * (two more flushes).  A rotation used to do all of it on the request's
 * thread with the lock held, so every request waited on disk flushes it
 * had not asked for (a few milliseconds each time, hundreds on a busy
 * disk).  Only when events are synced in the background (sync_interval_ms
 * > 0): the flusher is woken at once, so the digest and the new file's
 * name are on disk well before the next background sync would have put
 * the events there, which is all that mode promises.
 */
struct sink_closing {
	struct sink_closing	*next;		/* in the queue */
	int			 fd;		/* -1: nothing to complete */
	bool			 is_signed;	/* the digest is in the file */
	bool			 sync_folder;	/* a new file was created */
	uint64_t		 ticket;	/* order among closings */
	uint64_t		 file_number;
	int64_t			 last_sequence;
	char			 name[AUDIT_FILE_NAME_MAX];
	char			 path[PATH_MAX];
	char			 signature[AUDIT_HASH_HEX_LEN + 1];
};

static int64_t
clock_ms(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static enum status
write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = ENOSPC;
			return STATUS_IO;
		}
		buf += n;
		len -= (size_t)n;
	}
	return STATUS_OK;
}

static void
sync_folder(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return;
	if (fsync(fd) != 0)
		log_warn("audit: cannot sync the folder %s: %s", dir,
		    strerror(errno));
	close(fd);
}

/* Append line to the current file, or leave the file as it was. */
static enum status
sink_write(struct audit_file_sink *sink, const char *line, size_t len)
{
	int saved;

	if (write_all(sink->fd, line, len) == STATUS_OK) {
		sink->size += (off_t)len;
		sink->is_dirty = true;
		return STATUS_OK;
	}
	saved = errno;
	if (ftruncate(sink->fd, sink->size) != 0)
		log_error("audit: cannot cut a partial line off %s: %s",
		    sink->path, strerror(errno));
	log_error("audit: cannot write to %s: %s", sink->path, strerror(saved));
	return STATUS_IO;
}

static void
sink_set_file(struct audit_file_sink *sink, uint64_t number)
{
	sink->file_number = number;
	audit_file_name(number, sink->name, sizeof(sink->name));
	snprintf(sink->path, sizeof(sink->path), "%s/%s", sink->dir, sink->name);
}

/* Open the next file.  STATUS_IO when it cannot be created.  The folder
 * is flushed now, or by closing when one is given. */
static enum status
sink_file_start(struct audit_file_sink *sink, struct sink_closing *closing,
    struct error *err)
{
	struct stat	 sb;
	uint64_t	 previous = sink->file_number;
	int		 fd;

	sink_set_file(sink, previous + 1);
	fd = open(sink->path, O_WRONLY | O_APPEND | O_CREAT | O_EXCL | O_CLOEXEC |
	    O_NOFOLLOW, 0600);
	if (fd < 0 || fstat(fd, &sb) != 0) {
		int	 saved = errno;
		int64_t	 now = clock_ms(CLOCK_MONOTONIC);

		error_set(err, STATUS_IO, "cannot create %s: %s", sink->path,
		    strerror(saved));
		/* Every request retries: say it once a second, not each time. */
		if (now - sink->create_error_logged_mono_ms >= 1000) {
			log_error("audit: cannot create %s: %s", sink->path,
			    strerror(saved));
			sink->create_error_logged_mono_ms = now;
		}
		if (fd >= 0) {
			close(fd);
			unlink(sink->path);
		}
		sink_set_file(sink, previous);
		return STATUS_IO;
	}
	if (closing != NULL && closing->fd >= 0)
		closing->sync_folder = true;
	else
		sync_folder(sink->dir);
	/* Watched from now on; the first write still looks, in case the
	 * name changed hands between the open and the watch. */
	(void)audit_file_watch_file(&sink->watch, sink->path);
	sink->needs_look = true;
	sink->fd = fd;
	sink->dev = sb.st_dev;
	sink->ino = sb.st_ino;
	sink->size = 0;
	sink->first_sequence = sink->next_sequence;
	sink->opened_at_ms = clock_ms(CLOCK_REALTIME);
	sink->first_event_mono_ms = 0;
	sink->is_dirty = false;
	sink->synced_mono_ms = clock_ms(CLOCK_MONOTONIC);
	return STATUS_OK;
}

/*
 * Sign the current file and let go of it: write its digest, then hand its
 * descriptor to closing (sink_closing_complete syncs and closes it).
 * When the digest cannot be written and force is set the file is let go
 * without one (verify will say so); otherwise it stays current and
 * STATUS_IO is returned.  Lock held.
 */
static enum status
sink_file_seal(struct audit_file_sink *sink, const char *reason, bool force,
    struct sink_closing *closing)
{
	struct audit_digest	 d;
	char			*line = NULL;
	size_t			 len = 0;
	enum status		 st;

	memset(closing, 0, sizeof(*closing));
	closing->fd = -1;
	memset(&d, 0, sizeof(d));
	d.file = sink->name;
	d.first_sequence = sink->first_sequence;
	d.last_sequence = sink->next_sequence - 1;
	d.opened_at_ms = sink->opened_at_ms;
	d.closed_at_ms = clock_ms(CLOCK_REALTIME);
	d.reason = reason;
	d.key_id = sink->key_id;
	st = audit_digest_line(&d, sink->head, sink->key, &line, &len,
	    closing->signature);
	if (st == STATUS_OK)
		st = sink_write(sink, line, len);
	if (st != STATUS_OK && !force) {
		free(line);
		return st;
	}
	if (st != STATUS_OK)
		log_error("audit: %s closed without its digest", sink->path);
	audit_file_watch_forget(&sink->watch);
	closing->fd = sink->fd;
	closing->is_signed = st == STATUS_OK;
	closing->ticket = sink->closings_sealed++;
	closing->file_number = sink->file_number;
	closing->last_sequence = d.last_sequence;
	memcpy(closing->name, sink->name, sizeof(closing->name));
	memcpy(closing->path, sink->path, sizeof(closing->path));
	sink->fd = -1;
	sink->is_dirty = false;
	if (st == STATUS_OK) {
		audit_hash_line(line, len - 1, sink->head);
		log_info("audit: signed %s (events %" PRId64 "..%" PRId64
		    ", %s)", sink->name, d.first_sequence, d.last_sequence,
		    reason);
	}
	free(line);
	return st;
}

/*
 * The rest of a sealed file, in the order files were sealed: its flush
 * (the digest is on disk before the database names the file as signed),
 * its close, the folder's flush, the anchor.  With or without the lock.
 */
static void
sink_closing_complete(struct audit_file_sink *sink,
    struct sink_closing *closing)
{
	struct audit_file_closed closed;

	if (closing->fd < 0)
		return;
	pthread_mutex_lock(&sink->closing_lock);
	while (sink->closings_completed != closing->ticket)
		pthread_cond_wait(&sink->closing_done, &sink->closing_lock);
	if (closing->is_signed && fsync(closing->fd) != 0)
		log_error("audit: cannot sync %s: %s", closing->path,
		    strerror(errno));
	close(closing->fd);
	closing->fd = -1;
	if (closing->sync_folder)
		sync_folder(sink->dir);
	if (closing->is_signed && sink->on_file_closed != NULL) {
		closed.file_number = closing->file_number;
		closed.file_name = closing->name;
		closed.last_sequence = closing->last_sequence;
		closed.signature = closing->signature;
		sink->on_file_closed(sink->on_file_closed_arg, &closed);
	}
	sink->closings_completed++;
	pthread_cond_broadcast(&sink->closing_done);
	pthread_mutex_unlock(&sink->closing_lock);
}

/* Hand a sealed file to the flusher.  Lock held. */
static void
sink_closing_enqueue(struct audit_file_sink *sink,
    struct sink_closing *closing)
{
	closing->next = NULL;
	if (sink->pending_tail != NULL)
		sink->pending_tail->next = closing;
	else
		sink->pending = closing;
	sink->pending_tail = closing;
	pthread_cond_signal(&sink->wake);
}

static struct sink_closing *
sink_closing_dequeue(struct audit_file_sink *sink)
{
	struct sink_closing *closing = sink->pending;

	if (closing != NULL) {
		sink->pending = closing->next;
		if (sink->pending == NULL)
			sink->pending_tail = NULL;
	}
	return closing;
}

/* Complete every queued file here and now, keeping the lock: before a
 * file is signed in the caller's own time, those signed before it. */
static void
sink_closings_drain(struct audit_file_sink *sink)
{
	struct sink_closing *closing;

	while ((closing = sink_closing_dequeue(sink)) != NULL) {
		sink_closing_complete(sink, closing);
		free(closing);
	}
}

/* Sign and close the current file, all of it now (see sink_file_seal).
 * Lock held. */
static enum status
sink_file_finish(struct audit_file_sink *sink, const char *reason, bool force)
{
	struct sink_closing closing;
	enum status	 st;

	sink_closings_drain(sink);
	st = sink_file_seal(sink, reason, force, &closing);
	sink_closing_complete(sink, &closing);
	return st;
}

/* Sign the current file and queue the rest for the flusher; all of it now
 * when events are synced before each answer (or out of memory).  Lock
 * held.  The next file, when started (sink_file_start with the closing
 * this returns), leaves the folder's flush to the queued part. */
static struct sink_closing *
sink_file_rotate(struct audit_file_sink *sink, const char *reason)
{
	struct sink_closing *closing;

	if (sink->sync_interval_ms == 0 ||
	    (closing = calloc(1, sizeof(*closing))) == NULL) {
		(void)sink_file_finish(sink, reason, false);
		return NULL;
	}
	if (sink_file_seal(sink, reason, false, closing) != STATUS_OK) {
		free(closing);
		return NULL;
	}
	return closing;
}

/* Does the path still name the file we write, as we left it? */
static const char *
sink_file_check(struct audit_file_sink *sink)
{
	struct stat sb;

	if (stat(sink->path, &sb) != 0 || sb.st_dev != sink->dev ||
	    sb.st_ino != sink->ino)
		return "replaced";
	if (sb.st_size != sink->size)
		return "modified";
	return NULL;
}

/* Sign off the current file if someone else changed it.  Lock held. */
static void
sink_file_look(struct audit_file_sink *sink)
{
	const char *damage;

	sink->needs_look = false;
	if ((damage = sink_file_check(sink)) == NULL)
		return;
	log_error("audit: %s was %s outside sesame; signing it as it is "
	    "and starting a new file", sink->path,
	    strcmp(damage, "replaced") == 0 ? "removed or replaced" :
	    "changed");
	(void)sink_file_finish(sink, damage, true);
}

/*
 * Make sure there is a current file that is still ours and has room for
 * body_len more bytes: sign off a damaged or full one, open the next.
 * Called with the lock held.  A full file's flushes are left to the
 * flusher (sink_file_rotate); a damaged one is rare and signed off here.
 */
static enum status
sink_prepare(struct audit_file_sink *sink, size_t body_len)
{
	struct sink_closing *closing = NULL;
	enum status	 st = STATUS_OK;

	if (sink->fd >= 0 && (audit_file_watch_changed(&sink->watch) ||
	    sink->needs_look))
		sink_file_look(sink);
	if (sink->fd >= 0 && sink->file_max_bytes > 0 && sink->size > 0 &&
	    sink->next_sequence > sink->first_sequence &&
	    (int64_t)sink->size + (int64_t)body_len + AUDIT_CHAIN_TAIL_MAX >
	    sink->file_max_bytes)
		closing = sink_file_rotate(sink, "size");
	if (sink->fd < 0)
		st = sink_file_start(sink, closing, NULL);
	if (closing != NULL)
		sink_closing_enqueue(sink, closing);
	return st;
}

enum status
audit_sink_file_ready(struct audit_file_sink *sink)
{
	enum status st;

	pthread_mutex_lock(&sink->lock);
	st = sink_prepare(sink, 0);
	pthread_mutex_unlock(&sink->lock);
	return st;
}

enum status
audit_sink_file_append(struct audit_file_sink *sink, char *body,
    size_t body_len)
{
	EVP_MD_CTX	*hash;
	char		*tail;
	size_t		 tail_len, len;
	enum status	 st = STATUS_IO;

	/* body is a compact JSON object: its closing brace gives way to the
	 * chain fields. */
	if (body_len < 2 || body[body_len - 1] != '}') {
		pthread_mutex_lock(&sink->lock);
		sink->lost_count++;
		pthread_mutex_unlock(&sink->lock);
		return STATUS_INTERNAL;
	}
	tail = body + body_len - 1;
	/* The long part of the line's hash needs no lock; NULL (out of
	 * memory): the whole line is hashed below instead. */
	hash = audit_hash_begin(body, body_len - 1);

	pthread_mutex_lock(&sink->lock);
	if (sink_prepare(sink, body_len) != STATUS_OK)
		goto out;
	tail_len = audit_chain_tail(tail, body_len > 2, sink->next_sequence,
	    sink->head, sink->lost_count);
	len = body_len - 1 + tail_len;
	if ((st = sink_write(sink, body, len)) != STATUS_OK)
		goto out;
	/* The hash covers the line without its newline. */
	if (hash != NULL)
		audit_hash_end(hash, tail, tail_len - 1, sink->head);
	else
		audit_hash_line(body, len - 1, sink->head);
	hash = NULL;
	sink->next_sequence++;
	sink->lost_count = 0;
	if (sink->first_event_mono_ms == 0)
		sink->first_event_mono_ms = clock_ms(CLOCK_MONOTONIC);
	if (sink->sync_interval_ms == 0) {
		if (fdatasync(sink->fd) != 0) {
			log_error("audit: cannot sync %s: %s", sink->path,
			    strerror(errno));
			st = STATUS_IO;
			goto out;
		}
		sink->is_dirty = false;
	}
	st = STATUS_OK;
out:
	if (st != STATUS_OK)
		sink->lost_count++;
	pthread_mutex_unlock(&sink->lock);
	EVP_MD_CTX_free(hash);
	return st;
}

static void *
sink_flusher(void *arg)
{
	struct audit_file_sink	*sink = arg;
	struct sink_closing	*closing;
	int64_t			 tick_ms, now;
	struct timespec		 deadline;

	tick_ms = sink->sync_interval_ms > 0 && sink->sync_interval_ms < 1000 ?
	    sink->sync_interval_ms : 1000;
	pthread_mutex_lock(&sink->lock);
	while (!sink->is_stopping) {
		if (sink->pending == NULL) {
			clock_gettime(CLOCK_MONOTONIC, &deadline);
			deadline.tv_sec += tick_ms / 1000;
			deadline.tv_nsec += (tick_ms % 1000) * 1000000;
			if (deadline.tv_nsec >= 1000000000) {
				deadline.tv_sec++;
				deadline.tv_nsec -= 1000000000;
			}
			pthread_cond_timedwait(&sink->wake, &sink->lock,
			    &deadline);
		}
		/* Files signed on a writer's time: their flushes are ours. */
		while ((closing = sink_closing_dequeue(sink)) != NULL) {
			pthread_mutex_unlock(&sink->lock);
			sink_closing_complete(sink, closing);
			free(closing);
			pthread_mutex_lock(&sink->lock);
		}
		if (sink->is_stopping)
			break;
		now = clock_ms(CLOCK_MONOTONIC);
		/* What inotify cannot tell from our own writes. */
		if (sink->fd >= 0)
			sink_file_look(sink);
		if (sink->fd >= 0 && sink->rotate_seconds > 0 &&
		    sink->first_event_mono_ms != 0 &&
		    now - sink->first_event_mono_ms >=
		    sink->rotate_seconds * 1000 &&
		    (closing = sink_file_rotate(sink, "age")) != NULL)
			sink_closing_enqueue(sink, closing);
		if (sink->fd >= 0 && sink->is_dirty &&
		    sink->sync_interval_ms > 0 &&
		    now - sink->synced_mono_ms >= sink->sync_interval_ms) {
			int fd = dup(sink->fd);

			sink->is_dirty = false;
			sink->synced_mono_ms = now;
			if (fd < 0)
				continue;
			/* Writers go on while the disk catches up. */
			pthread_mutex_unlock(&sink->lock);
			if (fdatasync(fd) != 0)
				log_error("audit: cannot sync the audit log: %s",
				    strerror(errno));
			close(fd);
			pthread_mutex_lock(&sink->lock);
		}
	}
	pthread_mutex_unlock(&sink->lock);
	return NULL;
}

/*
 * The chain's state from the newest files: head hash and next sequence,
 * and which file is newest.  A newest file without a digest (the last
 * process died) is signed now with reason "recovered".
 */
#define SINK_TAIL_BYTES	(64 * 1024)

/*
 * The usual start: the newest file ends with its digest (a clean stop or
 * a rotation), and the head of the chain is that line's hash.  Only the
 * file's tail is read for it; a full file (64 MiB) used to be read and
 * split whole.  false (nothing changed) when the file does not end so,
 * or its last line is longer than the tail: the caller reads it all.
 */
static bool
sink_recover_signed_tail(struct audit_file_sink *sink, const char *path)
{
	struct audit_parsed	 p;
	struct stat		 sb;
	char			*buf = NULL;
	size_t			 len = 0, start, end;
	off_t			 off;
	ssize_t			 n;
	bool			 is_done = false;
	int			 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) < 0)
		return false;
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_size <= 0 ||
	    (buf = malloc(SINK_TAIL_BYTES)) == NULL)
		goto out;
	off = sb.st_size > SINK_TAIL_BYTES ? sb.st_size - SINK_TAIL_BYTES : 0;
	while (len < (size_t)(sb.st_size - off)) {
		n = pread(fd, buf + len, (size_t)(sb.st_size - off) - len,
		    off + (off_t)len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			goto out;
		len += (size_t)n;
	}
	if (buf[len - 1] != '\n')
		goto out;
	end = len - 1;
	for (start = end; start > 0 && buf[start - 1] != '\n'; start--)
		;
	if (start == 0 && off != 0)
		goto out;		/* a line longer than the tail */
	audit_line_parse(buf + start, end - start, &p);
	if (p.obj != NULL && p.is_digest) {
		audit_hash_line(buf + start, end - start, sink->head);
		sink->next_sequence = p.digest_last_sequence + 1;
		is_done = true;
	}
	audit_parsed_cleanup(&p);
out:
	free(buf);
	close(fd);
	return is_done;
}

static enum status
sink_recover(struct audit_file_sink *sink, const uint64_t *numbers,
    size_t count, struct error *err)
{
	struct audit_file_text	 text;
	struct audit_parsed	 p;
	char			 path[PATH_MAX];
	bool			 needs_digest = false;
	int64_t			 first_in_last = 0, max_sequence = 0;
	off_t			 keep = 0;
	enum status		 st;

	memset(&text, 0, sizeof(text));
	sink_set_file(sink, numbers[count - 1]);
	if (sink_recover_signed_tail(sink, sink->path))
		return STATUS_OK;
	for (size_t idx = count; idx-- > 0;) {
		size_t	 last = 0, complete = 0;
		bool	 is_newest = idx == count - 1;

		audit_file_text_cleanup(&text);
		snprintf(path, sizeof(path), "%s/", sink->dir);
		audit_file_name(numbers[idx], path + strlen(path),
		    sizeof(path) - strlen(path));
		if ((st = audit_file_read(path, &text, err)) != STATUS_OK)
			return st;
		for (size_t i = 0; i < text.line_count; i++)
			if (text.lines[i].has_newline) {
				complete++;
				last = i;
			}
		if (is_newest) {
			keep = complete == 0 ? 0 : (off_t)(text.lines[last].text +
			    text.lines[last].len + 1 - text.data);
			/* Its first event: parsing every line of a full file
			 * (64 MiB) made start-up take over a second. */
			for (size_t i = 0; i < complete && first_in_last == 0;
			    i++) {
				audit_line_parse(text.lines[i].text,
				    text.lines[i].len, &p);
				if (p.obj != NULL && !p.is_digest &&
				    p.sequence > 0)
					first_in_last = p.sequence;
				audit_parsed_cleanup(&p);
			}
		}
		if (complete == 0) {
			needs_digest = needs_digest || is_newest;
			if (idx == 0) {
				memcpy(sink->head, AUDIT_GENESIS_HASH,
				    sizeof(sink->head));
				sink->next_sequence = 1;
			}
			continue;
		}
		audit_hash_line(text.lines[last].text, text.lines[last].len,
		    sink->head);
		audit_line_parse(text.lines[last].text, text.lines[last].len,
		    &p);
		if (p.obj != NULL && p.is_digest) {
			sink->next_sequence = p.digest_last_sequence + 1;
		} else {
			needs_digest = needs_digest || is_newest;
			for (size_t i = 0; i < complete; i++) {
				struct audit_parsed q;

				audit_line_parse(text.lines[i].text,
				    text.lines[i].len, &q);
				if (q.obj != NULL && q.is_digest &&
				    q.digest_last_sequence > max_sequence)
					max_sequence = q.digest_last_sequence;
				else if (q.obj != NULL && q.sequence >
				    max_sequence)
					max_sequence = q.sequence;
				audit_parsed_cleanup(&q);
			}
			if (p.obj == NULL || p.sequence == 0)
				log_error("audit: the last line of %s is damaged; "
				    "`sesame audit verify` will report it", path);
			sink->next_sequence = max_sequence + 1;
		}
		audit_parsed_cleanup(&p);
		break;
	}
	audit_file_text_cleanup(&text);
	if (!needs_digest)
		return STATUS_OK;

	/* Sign the newest file as the dead process left it. */
	if ((sink->fd = open(sink->path, O_WRONLY | O_APPEND | O_CLOEXEC |
	    O_NOFOLLOW)) < 0)
		return error_set(err, STATUS_IO, "cannot open %s: %s", sink->path,
		    strerror(errno));
	if (ftruncate(sink->fd, keep) != 0) {
		st = error_set(err, STATUS_IO, "cannot cut the partial last "
		    "line off %s: %s", sink->path, strerror(errno));
		close(sink->fd);
		sink->fd = -1;
		return st;
	}
	log_warn("audit: %s was left open by a process that stopped without "
	    "signing it; signing it now", sink->path);
	sink->size = keep;
	sink->first_sequence = first_in_last != 0 ? first_in_last :
	    sink->next_sequence;
	sink->opened_at_ms = 0;
	if (sink_file_finish(sink, "recovered", false) != STATUS_OK) {
		close(sink->fd);
		sink->fd = -1;
		return error_set(err, STATUS_IO, "cannot sign %s", sink->path);
	}
	return STATUS_OK;
}

enum status
audit_sink_file_open(const struct audit_config *cfg,
    struct audit_file_sink **out, struct error *err)
{
	struct audit_file_sink	*sink = NULL;
	pthread_condattr_t	 attr;
	pthread_mutexattr_t	 mutex_attr;
	uint64_t		*numbers = NULL;
	size_t			 count = 0;
	struct stat		 sb;
	enum status		 st = STATUS_NO_MEMORY;

	if ((sink = calloc(1, sizeof(*sink))) == NULL) {
		secret_buf_free(cfg->signing_key);
		return error_set(err, STATUS_NO_MEMORY, "out of memory");
	}
	/*
	 * Held per event for the chaining, the hash and the write(2) (and
	 * the rare rotation or sync): a writer that finds it taken spins a
	 * little before it sleeps, which spares most futex round trips.
	 */
	pthread_mutexattr_init(&mutex_attr);
#ifdef __GLIBC__
	pthread_mutexattr_settype(&mutex_attr, PTHREAD_MUTEX_ADAPTIVE_NP);
#endif
	pthread_mutex_init(&sink->lock, &mutex_attr);
	pthread_mutexattr_destroy(&mutex_attr);
	/* The flusher's deadlines are on the monotonic clock. */
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&sink->wake, &attr);
	pthread_condattr_destroy(&attr);
	pthread_mutex_init(&sink->closing_lock, NULL);
	pthread_cond_init(&sink->closing_done, NULL);
	sink->fd = -1;
	sink->lock_fd = -1;
	sink->watch.fd = sink->watch.dir_wd = sink->watch.file_wd = -1;
	sink->key = cfg->signing_key;
	sink->file_max_bytes = cfg->file_max_bytes;
	sink->rotate_seconds = cfg->rotate_seconds;
	sink->sync_interval_ms = cfg->sync_interval_ms;
	sink->on_file_closed = cfg->on_file_closed;
	sink->on_file_closed_arg = cfg->on_file_closed_arg;
	sink->next_sequence = 1;
	memcpy(sink->head, AUDIT_GENESIS_HASH, sizeof(sink->head));
	if (sink->key == NULL || (sink->dir = strdup(cfg->dir)) == NULL) {
		st = error_set(err, sink->key == NULL ? STATUS_INTERNAL :
		    STATUS_NO_MEMORY, sink->key == NULL ? "no audit signing key" :
		    "out of memory");
		goto out;
	}
	if ((st = audit_key_id(sink->key, sink->key_id)) != STATUS_OK) {
		error_set(err, st, "cannot derive the audit key id");
		goto out;
	}
	st = STATUS_IO;
	if (mkdir(sink->dir, 0700) != 0 && errno != EEXIST) {
		error_set(err, st, "cannot create the audit folder %s: %s",
		    sink->dir, strerror(errno));
		goto out;
	}
	if (stat(sink->dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
		error_set(err, st, "the audit folder %s is not a folder",
		    sink->dir);
		goto out;
	}
	if ((sink->lock_fd = open(sink->dir, O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC)) < 0) {
		error_set(err, st, "cannot open the audit folder %s: %s",
		    sink->dir, strerror(errno));
		goto out;
	}
	if (flock(sink->lock_fd, LOCK_EX | LOCK_NB) != 0) {
		error_set(err, st, errno == EWOULDBLOCK ? "the audit folder %s "
		    "already has a writer: another sesame process holds it (one "
		    "writer per folder)" : "cannot lock the audit folder %s",
		    sink->dir);
		goto out;
	}
	if ((st = audit_dir_list(sink->dir, &numbers, &count, err)) !=
	    STATUS_OK)
		goto out;
	if (count > 0 && (st = sink_recover(sink, numbers, count, err)) !=
	    STATUS_OK)
		goto out;
	audit_file_watch_open(&sink->watch, sink->dir);
	if (sink->watch.fd < 0)
		log_warn("audit: cannot watch %s with inotify (%s); the file "
		    "is checked with a stat before every event instead",
		    sink->dir, strerror(errno));
	if ((st = sink_file_start(sink, NULL, err)) != STATUS_OK)
		goto out;
	if (pthread_create(&sink->flusher, NULL, sink_flusher, sink) != 0) {
		st = error_set(err, STATUS_INTERNAL, "cannot start the audit "
		    "flusher thread");
		goto out;
	}
	sink->has_flusher = true;
	*out = sink;
	sink = NULL;
	st = STATUS_OK;
out:
	free(numbers);
	audit_sink_file_close(sink);
	return st;
}

void
audit_sink_file_close(struct audit_file_sink *sink)
{
	if (sink == NULL)
		return;
	if (sink->has_flusher) {
		pthread_mutex_lock(&sink->lock);
		sink->is_stopping = true;
		pthread_cond_signal(&sink->wake);
		pthread_mutex_unlock(&sink->lock);
		pthread_join(sink->flusher, NULL);
	}
	sink_closings_drain(sink);
	if (sink->fd >= 0)
		(void)sink_file_finish(sink, "shutdown", true);
	audit_file_watch_close(&sink->watch);
	if (sink->lock_fd >= 0)
		close(sink->lock_fd);
	secret_buf_free(sink->key);
	pthread_cond_destroy(&sink->wake);
	pthread_mutex_destroy(&sink->lock);
	pthread_cond_destroy(&sink->closing_done);
	pthread_mutex_destroy(&sink->closing_lock);
	free(sink->dir);
	free(sink);
}
