/*
 * audit_file_watch.c: whether anyone but us may have touched the file
 * being written, without a stat(2) per event.
 *
 * The sink checks, before every event, that its path still names the file
 * it writes with the size it wrote.  A stat(2) per event cost more than the
 * write itself: besides the call, it marks the inode's times as seen, and
 * the kernel then stamps the next write with a fine-grained time, which
 * dirties the inode (an ext4 journal handle) on every write.
 *
 * An inotify instance watches the file and its folder for what others do
 * and our writes never do: unlink, rename or link (IN_ATTRIB, IN_MOVE_SELF,
 * IN_DELETE_SELF), a close after writing (IN_CLOSE_WRITE: `echo >>`, an
 * editor, truncate(1)), a chmod, and names created, removed or moved in the
 * folder, the folder itself moved or removed.  The kernel queues the event
 * inside the system call that caused it, so a writer that finds the queue
 * empty (one read(2) that fails with EAGAIN) knows that no such change
 * happened before it looked: removing or replacing the file is noticed
 * before the next event is written, as with the stat.  What inotify cannot
 * tell from our own writes (IN_MODIFY: a truncate(2) by path or a write by
 * a process that keeps the file open) is left to the sink's periodic check
 * (each flusher tick); the events written meanwhile still land in the file,
 * after the change, where verify reports it.
 *
 * Without inotify (no instance or no watch left: fs.inotify limits) every
 * call says "look", and the sink stats before every event as it used to.
 *
 * Thread-safety: none; the sink calls it under its lock.
 */
#include <sys/inotify.h>

#include <errno.h>
#include <stdbool.h>
#include <unistd.h>

#include "audit/audit_internal.h"

#define WATCH_FILE_MASK	(IN_ATTRIB | IN_CLOSE_WRITE | IN_MOVE_SELF |	\
	IN_DELETE_SELF)
#define WATCH_DIR_MASK	(IN_ATTRIB | IN_CREATE | IN_DELETE |		\
	IN_MOVED_FROM | IN_MOVED_TO | IN_MOVE_SELF | IN_DELETE_SELF |	\
	IN_ONLYDIR)

void
audit_file_watch_open(struct audit_file_watch *w, const char *dir)
{
	w->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	w->dir = dir;
	w->dir_wd = -1;
	w->file_wd = -1;
	if (w->fd >= 0 && (w->dir_wd = inotify_add_watch(w->fd, dir,
	    WATCH_DIR_MASK)) < 0) {
		close(w->fd);
		w->fd = -1;
	}
}

bool
audit_file_watch_file(struct audit_file_watch *w, const char *path)
{
	audit_file_watch_forget(w);
	if (w->fd < 0)
		return false;
	/* The folder again: after it was replaced, the path names another
	 * one (the same one just gets its watch back). */
	if ((w->dir_wd = inotify_add_watch(w->fd, w->dir, WATCH_DIR_MASK)) < 0)
		return false;
	w->file_wd = inotify_add_watch(w->fd, path, WATCH_FILE_MASK);
	return w->file_wd >= 0;
}

void
audit_file_watch_forget(struct audit_file_watch *w)
{
	if (w->fd >= 0 && w->file_wd >= 0)
		(void)inotify_rm_watch(w->fd, w->file_wd);
	w->file_wd = -1;
}

bool
audit_file_watch_changed(struct audit_file_watch *w)
{
	char	 buf[4096]
	    __attribute__((aligned(__alignof__(struct inotify_event))));
	bool	 changed = false;
	ssize_t	 n;

	if (w->fd < 0 || w->file_wd < 0)
		return true;
	/* Drain: one look at the file answers for everything queued. */
	while ((n = read(w->fd, buf, sizeof(buf))) > 0 || (n < 0 &&
	    errno == EINTR))
		changed |= n > 0;
	if (n < 0 && errno != EAGAIN)
		return true;
	return changed;
}

void
audit_file_watch_close(struct audit_file_watch *w)
{
	if (w->fd >= 0)
		close(w->fd);
	w->fd = w->dir_wd = w->file_wd = -1;
}
