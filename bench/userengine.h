/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One RUN of the user backend (userengine.c): the timing engine of
 * kmod/vb_engine.h in its ring-3 environment, on the calling thread.
 */
#ifndef VB_USERENGINE_H
#define VB_USERENGINE_H

#include "userdev.h"

/*
 * @r, already checked and refused nothing, on the CPU the calling thread
 * is pinned to, asking machine @m (not NULL) for features: 0 with @r's
 * results (measured, skipped or interrupted), or -ENOMEM.
 */
int vb_user_run_pinned(const struct vb_user_machine *m, struct vb_run *r);

#endif /* VB_USERENGINE_H */
