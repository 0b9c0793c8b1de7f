/* SPDX-License-Identifier: Apache-2.0 */
/* vAccel's old session names, still exported by vAccel: thin aliases. */
#include "internal.h"

#pragma GCC diagnostic ignored "-Wdeprecated-declarations"

int vaccel_sess_init(struct vaccel_session *sess, uint32_t flags)
{
	return vaccel_session_init(sess, flags);
}

int vaccel_sess_update(struct vaccel_session *sess, uint32_t flags)
{
	return vaccel_session_update(sess, flags);
}

int vaccel_sess_free(struct vaccel_session *sess)
{
	return vaccel_session_release(sess);
}

bool vaccel_sess_has_resource(struct vaccel_session *sess, struct vaccel_resource *res)
{
	return vaccel_session_has_resource(sess, res);
}
