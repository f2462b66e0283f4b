# SPDX-License-Identifier: GPL-2.0
#
# The ccache settings every kernel build of the project uses; sourced by
# kernel.sh, deb.sh, series-check.sh and lint.sh with CACHE already set.
#
# The cache lives beside the kernel tree, not in $HOME, so it survives fresh
# clones.  The builds compile the same tree in sibling directories under
# $CACHE/build, so with paths relative to the base directory their compiler
# commands are identical; leaving the working directory out of the hash lets
# each build reuse the others' objects (for the two variants only the
# backend's objects differ).

export CCACHE_DIR=${CCACHE_DIR:-$CACHE/ccache}
export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-8G}
export CCACHE_BASEDIR=$CACHE
export CCACHE_NOHASHDIR=true
