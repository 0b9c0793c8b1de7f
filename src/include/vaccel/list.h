/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vAccel's <vaccel/list.h>: the list entry its plugin descriptors embed
 * (<vaccel/classic-plugin.h>). Only the type: nothing here walks lists.
 */
#ifndef VACCEL_LIST_H
#define VACCEL_LIST_H

struct vaccel_list_entry {
	struct vaccel_list_entry *next;
	struct vaccel_list_entry *prev;
};

#define LIST_ENTRY_INIT(name) { &(name), &(name) }

#endif
