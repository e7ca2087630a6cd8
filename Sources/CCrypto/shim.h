/* OpenSSL's libcrypto, for the HMAC-SHA1 of hashed known_hosts names. */
#include <openssl/evp.h>
#include <openssl/hmac.h>
