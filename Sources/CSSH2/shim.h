#include <libssh2.h>
#include <libssh2_sftp.h>

/* libssh2's function-like macros, which Swift cannot call. */
static inline LIBSSH2_SESSION *dropsync_ssh2_session_init(void) {
    return libssh2_session_init_ex(NULL, NULL, NULL, NULL);
}

static inline int dropsync_ssh2_session_disconnect(LIBSSH2_SESSION *session, const char *description) {
    return libssh2_session_disconnect_ex(session, SSH_DISCONNECT_BY_APPLICATION, description, "");
}
