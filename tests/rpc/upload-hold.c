/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Upload FILE as a resource (VACCEL_PROFILE names an rpc or virtio
 * profile): register it to a session and name it in an op (resources go
 * to the agent with their first use; the op's own result does not
 * matter), print "held", and keep it until standard input closes. For the
 * store's namespace tests.
 */
#include <stdio.h>
#include <vaccel.h>

int main(int argc, char **argv)
{
	struct vaccel_session s;
	struct vaccel_resource r;
	if (argc != 2 || vaccel_session_init(&s, 0) ||
	    vaccel_resource_init(&r, argv[1], VACCEL_RESOURCE_LIB) ||
	    vaccel_resource_register(&r, &s))
		return 1;
	vaccel_exec_with_resource(&s, &r, "none", NULL, 0, NULL, 0);
	printf("held\n");
	fflush(stdout);
	while (getchar() != EOF)
		;
	vaccel_resource_unregister(&r, &s);
	vaccel_resource_release(&r);
	vaccel_session_release(&s);
	return 0;
}
