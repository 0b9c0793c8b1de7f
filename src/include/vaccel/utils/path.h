/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vaccel_path_type_t (vAccel's), with the generated name helpers: what a
 * resource's path names. Remote files (URLs) are not fetched by this
 * libvaccel: a resource from one is VACCEL_ENOTSUP.
 */
#ifndef VACCEL_UTILS_PATH_H
#define VACCEL_UTILS_PATH_H

#include <vaccel/utils/enum.h>

#define VACCEL_PATH_TYPE_ENUM_LIST(ITEM)   \
	ITEM(LOCAL_FILE, 0, VACCEL_PATH)   \
	ITEM(LOCAL_DIR, VACCEL_PATH)       \
	ITEM(REMOTE_FILE, VACCEL_PATH)
VACCEL_ENUM_DEF_WITH_STR_FUNCS(vaccel_path_type, VACCEL_PATH, VACCEL_PATH_TYPE_ENUM_LIST)

#endif /* VACCEL_UTILS_PATH_H */
