"""The course's nbgrader exchange: nbgrader's own filesystem exchange, plus what a server shared by
several Unix users needs (issue #25). nbgrader loads these classes by name from the generated
configs (``c.ExchangeFactory.collect = "grading.exchange.CourseCollect"``, …).

With ``CourseExchange.shared`` off (one Unix user plays every role, the default) each class is
exactly nbgrader's. With it on:

- submit leaves the submission folder readable only by its learner and the graders' group (the
  group of the exchange's ``inbound``, which the folder inherits), and makes the learner a private
  feedback folder in ``inbound`` that only they and the graders can enter;
- collect sets aside any submission whose Unix owner is not the learner it names (into the
  exchange's ``quarantine`` folder), collects that learner's latest genuine one instead, and copies
  only the regular files and folders the learner owns;
- release_feedback writes each learner's feedback into their private folder and leaves nbgrader's
  usual ``feedback/<hash>.html`` as a link to it, so nbgrader's own fetch_feedback still finds it
  while nobody else can read it, even knowing the path.
"""

from __future__ import annotations

import glob
import hashlib
import os
import pwd
import secrets
import shutil
import stat
import tempfile
from datetime import UTC, datetime

from nbgrader.exchange.default import (
    Exchange,
    ExchangeCollect,
    ExchangeReleaseFeedback,
    ExchangeSubmit,
)
from nbgrader.utils import ignore_patterns, notebook_hash
from traitlets import Bool

QUARANTINE = "quarantine"
# A private feedback folder's name: this, then a digest of the submission's secret. The leading
# dot keeps it out of nbgrader's globs.
FEEDBACK_FOLDER = ".feedback-"
# Owner and graders only. (Asking for 2770 gives 770: the kernel drops setgid when a learner, who
# is not in the graders' group, changes the mode.)
SUBMISSION_DIR_MODE = 0o770
SUBMISSION_FILE_MODE = 0o640
# The learner reads their feedback as "other"; their private folder keeps everyone else out.
FEEDBACK_FILE_MODE = 0o644
REFUSED = "Refused submission {name}: written by {owner}, claiming to be {claimed}, at {when}; "
REFUSED += "{fate}"
NOT_COPIED = "Not copied from {claimed}'s submission: {path}, written by {owner}"


def unix_account(learner_id: str) -> str:
    """The Unix account that a learner id belongs to on a shared server.

    The same name: nbgrader's own assumption on a hub (student id == Unix user name). The one
    place to change when ids and accounts differ."""
    return learner_id


def _uid(learner_id: str) -> int | None:
    try:
        return pwd.getpwnam(unix_account(learner_id)).pw_uid
    except KeyError:
        return None


def _account_name(uid: int) -> str:
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return f"uid {uid}"


def feedback_folder(secret: str) -> str:
    """The name of a submission's private feedback folder in ``inbound``: derived from the
    submission's secret, which only the learner and the graders can read."""
    return FEEDBACK_FOLDER + hashlib.sha256(secret.encode()).hexdigest()[:32]


class CourseExchange(Exchange):
    """Holds the one setting saying whether several Unix users share this exchange."""

    shared = Bool(
        False,
        help="Learners and trainer are separate Unix users: check owners and tighten modes. "
        "Off when one Unix user plays every role on one machine.",
    ).tag(config=True)


class CourseSubmit(CourseExchange, ExchangeSubmit):
    """nbgrader's submit; on a shared server the submission is private to its learner and the
    graders, and comes with the learner's private feedback folder."""

    def copy_files(self):
        """Submit as nbgrader does, then (shared) replace its 777/644 modes with 770/640 and make
        the feedback folder (770), all in the graders' group inherited from ``inbound``."""
        if self.shared and not os.stat(self.inbound_path).st_mode & stat.S_ISGID:
            self.fail(f"{self.inbound_path} has lost its setgid bit: ask the course's trainer")
        super().copy_files()
        if not self.shared:
            return
        dest = os.path.join(self.inbound_path, self.assignment_filename)
        _regroup(dest, self.inbound_path)
        self.set_perms(dest, fileperms=SUBMISSION_FILE_MODE, dirperms=SUBMISSION_DIR_MODE)
        with open(os.path.join(dest, "submission_secret.txt")) as fh:
            drop = os.path.join(self.inbound_path, feedback_folder(fh.read()))
        os.mkdir(drop)
        os.chmod(drop, SUBMISSION_DIR_MODE)


def _regroup(folder: str, inbound: str) -> None:
    """Put every file in ``folder`` in ``inbound``'s group (the graders').

    The folder loses the setgid bit it inherited when nbgrader copies the learner's folder mode
    onto it, so files written afterwards (timestamp, secret) get the learner's own group, and a
    learner cannot chgrp to a group they are not in. A file created in ``inbound`` itself still
    inherits the graders' group: rewrite each such file through there."""
    graders = os.stat(inbound).st_gid
    for dirpath, _, names in os.walk(folder):
        for name in names:
            path = os.path.join(dirpath, name)
            if os.lstat(path).st_gid != graders:
                fd, tmp = tempfile.mkstemp(dir=inbound, prefix=".regroup-")
                with os.fdopen(fd, "wb") as out, open(path, "rb") as src:
                    shutil.copyfileobj(src, out)
                os.replace(tmp, path)


class CourseCollect(CourseExchange, ExchangeCollect):
    """nbgrader's collect; on a shared server it refuses forged submissions and foreign files."""

    def init_src(self):
        """(Shared) set aside every submission not owned by the learner it names, before
        nbgrader picks each learner's latest; then let nbgrader pick among the genuine ones."""
        if self.shared:
            inbound = os.path.join(self.root, self.coursedir.course_id, "inbound")
            student = self.coursedir.student_id or "*"
            pattern = os.path.join(inbound, f"{student}+{self.coursedir.assignment_id}+*")
            for path in glob.glob(pattern):
                claimed = self._path_to_record(path)["username"]
                info = os.lstat(path)
                if not stat.S_ISDIR(info.st_mode) or info.st_uid != _uid(claimed):
                    self._set_aside(path, claimed, info)
        super().init_src()

    def _set_aside(self, path: str, claimed: str, info: os.stat_result) -> None:
        """Move a refused submission into the quarantine folder, where the trainer can read and
        delete it; one its writer locked cannot leave ``inbound`` (moving a folder needs write
        access to it), so it is renamed out of nbgrader's sight there. Logs what happened."""
        quarantine = os.path.join(self.root, self.coursedir.course_id, QUARANTINE)
        os.makedirs(quarantine, mode=0o700, exist_ok=True)
        name = os.path.basename(path)
        target = os.path.join(tempfile.mkdtemp(dir=quarantine), name)
        try:
            os.rename(path, target)
            fate = f"moved to {target}"
        except OSError:
            os.rmdir(os.path.dirname(target))
            target = os.path.join(os.path.dirname(path), f".refused-{secrets.token_hex(4)}-{name}")
            os.rename(path, target)
            fate = f"its writer locked it, so it is hidden as {target} for an administrator"
        when = datetime.fromtimestamp(info.st_ctime, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
        owner = _account_name(info.st_uid)
        self.log.warning(
            REFUSED.format(name=name, owner=owner, claimed=claimed, when=when, fate=fate)
        )

    def do_copy(self, src, dest, log=None):
        """Copy a submission as nbgrader does; (shared) only the regular files and folders its
        learner owns, so nothing another user added, and no link to elsewhere, is collected."""
        if not self.shared:
            return super().do_copy(src, dest, log)
        if self.get_size(src) > 1000 * self.coursedir.max_dir_size:
            raise RuntimeError(f"Directory size is too big: {src}")
        owner = os.lstat(src).st_uid
        claimed = self._path_to_record(src)["username"]
        usual = ignore_patterns(
            exclude=self.coursedir.ignore,
            include=self.coursedir.include,
            max_file_size=self.coursedir.max_file_size,
            log=self.log,
        )

        def ignore(folder: str, names: list[str]) -> set[str]:
            skipped = set(usual(folder, names))
            for name in set(names) - skipped:
                info = os.lstat(os.path.join(folder, name))
                kind_ok = stat.S_ISREG(info.st_mode) or stat.S_ISDIR(info.st_mode)
                if info.st_uid != owner or not kind_ok:
                    path = os.path.relpath(os.path.join(folder, name), src)
                    self.log.warning(
                        NOT_COPIED.format(
                            claimed=claimed, path=path, owner=_account_name(info.st_uid)
                        )
                    )
                    skipped.add(name)
            return skipped

        shutil.copytree(src, dest, ignore=ignore)


class CourseReleaseFeedback(CourseExchange, ExchangeReleaseFeedback):
    """nbgrader's release_feedback; on a shared server each file goes to its learner only."""

    def copy_files(self):
        """(Shared) release each learner's feedback pages to that learner only (see
        ``_release_page``); a learner whose private folder is missing or not theirs gets nothing,
        which the summary reports."""
        if not self.shared:
            return super().copy_files()
        excluded = set(filter(None, self.coursedir.student_id_exclude.split(",")))
        for html_file in sorted(glob.glob(os.path.join(self.src_path, "*.html"))):
            learner = os.path.basename(os.path.dirname(os.path.dirname(html_file)))
            if learner in excluded:
                continue
            try:
                self._release_page(html_file, learner)
            except OSError as exc:
                self.log.error("Feedback not released for student '%s': %s", learner, exc)
                continue
            self.log.info(
                "Releasing feedback for student '%s' on assignment '%s/%s'",
                learner,
                self.coursedir.course_id,
                self.coursedir.assignment_id,
            )

    def _release_page(self, html_file: str, learner: str) -> None:
        """Write one feedback page into the learner's private folder in ``inbound``, then make
        nbgrader's ``feedback/<hash>.html`` a relative link to it."""
        with open(os.path.join(os.path.dirname(html_file), "submission_secret.txt")) as fh:
            secret = fh.read()
        notebook_id = os.path.splitext(os.path.basename(html_file))[0]
        page = f"{notebook_hash(secret=secret, notebook_id=notebook_id)}.html"
        drop = feedback_folder(secret)
        _write_into(os.path.join(self.course_path, "inbound", drop), page, html_file, _uid(learner))
        link = os.path.join(self.dest_path, page)
        tmp = f"{link}.{secrets.token_hex(4)}"
        os.symlink(os.path.join("..", "inbound", drop, page), tmp)
        os.replace(tmp, link)


def _write_into(folder: str, name: str, source: str, owner: int | None) -> None:
    """Copy ``source`` to ``folder/name`` if ``folder`` is a real folder owned by ``owner``;
    raise PermissionError otherwise. The folder belongs to a learner, so every step goes through
    its opened handle: no link they plant can redirect the write."""
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    try:
        if os.fstat(fd).st_uid != owner:
            raise PermissionError(f"{folder} is not owned by the learner's account")
        tmp = f".{name}.{secrets.token_hex(4)}"
        out = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600, dir_fd=fd)
        with os.fdopen(out, "wb") as fh, open(source, "rb") as src:
            shutil.copyfileobj(src, fh)
            os.fchmod(fh.fileno(), FEEDBACK_FILE_MODE)
        os.replace(tmp, name, src_dir_fd=fd, dst_dir_fd=fd)
    finally:
        os.close(fd)
