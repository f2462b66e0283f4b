#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Make the xenpv patch series for Linux 6.12 (`make export`).
#
# The series is what a kernel engineer applies to their own tree with
# `git am`, and the kernels the rig boots are built from it (kernel.sh
# copies its result into the build tree), so users and tests take one path.
#
# patches/linux-6.12/series lists it in order.  A line is either
#   PATCH                      a hand-written patch of that directory
#                              (git format-patch form), applied with git am
#   add MSG TREE=DIR ...       a commit with message file MSG that puts the
#                              checkout's DIR at TREE in the kernel tree
#                              (arch/x86/xenpv/mm=mm: our mm/ directory goes
#                              to arch/x86/xenpv/mm)
# Commits are made in a git repository of the pristine tree (Debian's
# linux-source-6.12, tag xenpv-base) at $CACHE/linux-git, with fixed dates,
# so an unchanged checkout gives byte-identical patches.
#
# Usage: scripts/series.sh [OUTDIR]   commit the series; with OUTDIR, also
#                                     write it there with git format-patch
#                                     and a cover letter
# Prints the series' final commit on stdout.  One series.sh at a time per
# cache (a lock of its own).

set -euo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${XENPV_CACHE:-/var/cache/xenpv}
GIT=$CACHE/linux-git
PDIR=$TOP/patches/linux-6.12
TARBALL=${LINUX_TARBALL:-/usr/src/linux-source-6.12.tar.xz}
OUTDIR=${1:+$(realpath -m "$1")}
AUTHOR="xenpv maintainers <maintainers@users.noreply.r-seed-00113dbb.example>"
# Fixed dates keep commit ids, and so the patches, the same between runs.
export GIT_COMMITTER_NAME="xenpv maintainers"
export GIT_COMMITTER_EMAIL="maintainers@users.noreply.r-seed-00113dbb.example"
export GIT_COMMITTER_DATE="2026-12-03T00:00:00+0000"
export GIT_AUTHOR_DATE=$GIT_COMMITTER_DATE

fail() {
	echo "series.sh: FAILED: $*" >&2
	exit 1
}
mkdir -p "$CACHE"
exec 8>"$CACHE/series.lock"
flock 8 || fail "cannot lock $CACHE/series.lock"

git_() { git -C "$GIT" -c core.autocrlf=false -c advice.detachedHead=false "$@"; }

# 1. The pristine tree as a git repository, made once per source tarball.
[ -f "$TARBALL" ] || fail "no $TARBALL (run scripts/deps.sh)"
src_id="$TARBALL:$(stat -c %s:%Y "$TARBALL")"
if [ "$(cat "$GIT/.git/xenpv-source" 2>/dev/null)" != "$src_id" ]; then
	echo "series.sh: making a git repository of $TARBALL in $GIT" >&2
	rm -rf "$GIT"
	mkdir -p "$GIT"
	tar xf "$TARBALL" -C "$GIT" --strip-components=1 || fail "extract $TARBALL"
	ver=$(make -s -C "$GIT" kernelversion)
	deb=$(dpkg-query -W -f='${Version}' linux-source-6.12 2>/dev/null || echo unknown)
	git_ init -q -b pristine
	# Commit every file of the tarball, ignored names included.
	git_ add -A -f .
	git_ -c user.name="xenpv maintainers" -c user.email=none commit -q \
		--author="$AUTHOR" -m "Linux $ver (Debian linux-source-6.12 $deb)"
	git_ tag xenpv-base
	echo "$src_id" >"$GIT/.git/xenpv-source"
fi

# 2. The series, from the base.  Every place an add line fills, so that a
# directory mapped inside another one's place is left to its own line.
targets=$(awk '$1 == "add" { for (i = 3; i <= NF; i++) { sub(/=.*/, "", $i); print $i } }' \
	"$PDIR/series")
git_ checkout -q -f --detach xenpv-base
git_ clean -q -f -d
n=0
while read -r first rest; do
	case "$first" in '' | '#'*) continue ;; esac
	n=$((n + 1))
	if [ "$first" != add ]; then
		[ -f "$PDIR/$first" ] || fail "series line $n: no $PDIR/$first"
		git_ am -q --committer-date-is-author-date "$PDIR/$first" >/dev/null 2>&1 || {
			git_ am --abort >/dev/null 2>&1 || true
			fail "$first does not apply (git am)"
		}
		continue
	fi
	read -r msg maps <<<"$rest"
	[ -f "$PDIR/$msg" ] || fail "series line $n: no $PDIR/$msg"
	for m in $maps; do
		to=${m%%=*} from=${m#*=}
		[ -d "$TOP/$from" ] || fail "series line $n: no $from in the checkout"
		mkdir -p "$GIT/$to"
		excl=()
		for t in $targets; do
			case "$t" in "$to"/*) excl+=(--exclude="/${t#"$to"/}/") ;; esac
		done
		rsync -rc --delete --exclude='*.o' --exclude='.*.cmd' "${excl[@]}" \
			"$TOP/$from"/ "$GIT/$to"/ || fail "copy $from"
		git_ add -A -f -- "$to"
	done
	git_ -c user.name="xenpv maintainers" -c user.email=none commit -q -s \
		--author="$AUTHOR" -F "$PDIR/$msg" || fail "commit for $msg (nothing to add?)"
done <"$PDIR/series"
head=$(git_ rev-parse HEAD)

# 3. The patches and their cover letter.
if [ -n "$OUTDIR" ]; then
	rm -rf "$OUTDIR"
	mkdir -p "$OUTDIR"
	git_ format-patch -q --cover-letter --no-signature -o "$OUTDIR" xenpv-base..HEAD
	cover=$(ls "$OUTDIR"/0000-cover-letter.patch)
	python3 - "$cover" "$PDIR/cover.txt" <<'EOF'
import sys
path, blurb_path = sys.argv[1], sys.argv[2]
text = open(path).read()
blurb = open(blurb_path).read().split('\n', 1)
subject, body = blurb[0].strip(), blurb[1].strip('\n')
text = text.replace('*** SUBJECT HERE ***', subject, 1)
text = text.replace('*** BLURB HERE ***', body, 1)
open(path, 'w').write(text)
EOF
	echo "series.sh: $(ls "$OUTDIR" | wc -l) files in $OUTDIR" >&2
fi
echo "$head"
