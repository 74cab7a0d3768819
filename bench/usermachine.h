/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the user backend asks the machine (usermachine.c): CPUID bits for
 * its decisions, through a struct vb_user_machine so that tests can hide a
 * feature, and which CPUs are online; the TSC frequency is
 * vb_user_tsc_khz() (userdev.h).
 */
#ifndef VB_USERMACHINE_H
#define VB_USERMACHINE_H

#include <stdbool.h>
#include <stdint.h>

#include "userdev.h"

/* CPUID on the current CPU: what a NULL machine stands for. */
extern const struct vb_user_machine vb_user_real_machine;

/* CPUID.(EAX=7,ECX=0):EBX[23] */
bool vb_user_have_clflushopt(const struct vb_user_machine *m);
/* CPUID.80000001H:EDX[27] */
bool vb_user_have_rdtscp(const struct vb_user_machine *m);

/* Is @cpu in /sys/devices/system/cpu/online ("0-3,5")? */
bool vb_user_cpu_online(uint32_t cpu);

#endif /* VB_USERMACHINE_H */
