/*
 * Tests of the healthpass C ABI, compiled with -std=c11 -Wall -Wextra -Werror
 * against the shared and the static library, and run under valgrind.
 *
 * Usage: test_ffi DATA_DIR
 * DATA_DIR holds (made by ffi/tests/run.sh):
 *   trust.pem             the demo signer
 *   valid.txt expired.txt tampered.txt light.txt valid-exemption.txt   demo passes
 *   corpus-valid.txt corpus-valid.cert corpus-valid.time    a valid corpus pass, its signer, its clock
 *   corpus-invalid.txt corpus-invalid.cert corpus-invalid.time corpus-invalid.class
 *   revoked.list          a list signed now by the demo signer that revokes valid.txt
 *   revoked-week.list     the same, issued in the demo light pass's week
 *   valid-test.txt        the demo test pass (taken 2026-11-24T08:00:00Z)
 *   dvc.txt ddcc-vaccination.txt   a demo DVC (no exp; vls 2026-11-25, vle 2036-11-24) and DDCC:VS
 *   csca-xa.pem csca-not-ca.pem csca-short.pem dsc-p256.pem dsc-other-country.pem dsc-short.pem
 *   p256-pass.txt short-pass.txt   tests/data/chains, and passes its DSCs signed 2026-03-01
 *   trust-list.cose dsc-p384.pem   a signed trust list of the demo signer (2026-11-26, 30 days) and its anchor
 *   dev-v2-root.did.json who-signing-{dev,uat}.did.json DVCTestQR.txt   a WHO GDHCN list, the keys, a sample
 * and the environment variable HP_SYNC_URL: a loopback web server whose
 * /trust-list.cose is trust-list.cose (a static file, as a CDN serves it).
 * Prints one line per check and exits 1 on any failure.
 */
#define _GNU_SOURCE /* memmem */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "healthpass.h"

static int failures = 0;
static int checks = 0;

#define CHECK(cond)                                                        \
    do {                                                                   \
        checks++;                                                          \
        if (!(cond)) {                                                     \
            failures++;                                                    \
            fprintf(stderr, "FAILED %s:%d: %s\n", __FILE__, __LINE__, #cond); \
        }                                                                  \
    } while (0)

static const char *data_dir;
static const int64_t Y2030 = 1893456000; /* 2030-01-01T00:00:00Z */
/* The demo light pass lives a week: 2026-11-25T10:00:00Z to 2026-12-02T10:00:00Z. */
static const int64_t LIGHT_WEEK = 1795651200; /* 2026-11-26T00:00:00Z */

/* Reads DATA_DIR/name into a malloc'd buffer (NUL-terminated); exits on
 * error. Text files lose their trailing newlines; binary ones are kept whole. */
static char *read_file(const char *name, size_t *len, int text) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", data_dir, name);
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "cannot open %s\n", path);
        exit(2);
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
        fprintf(stderr, "cannot read %s\n", path);
        exit(2);
    }
    fclose(f);
    while (text && n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r')) n--;
    buf[n] = '\0';
    *len = (size_t)n;
    return buf;
}

static char *slurp(const char *name, size_t *len) { return read_file(name, len, 1); }

/* Whether a string handed out by the library holds exactly `want`. */
static int str_is(hp_str s, const char *want) {
    size_t n = strlen(want);
    return s.len == n && (n == 0 || memcmp(s.ptr, want, n) == 0);
}

/* Whether `needle` occurs in a string handed out by the library. */
static int str_has(hp_str s, const char *needle) {
    return s.ptr != NULL && memmem(s.ptr, s.len, needle, strlen(needle)) != NULL;
}

static hp_verifier *verifier_for(const char *cert_file, const hp_revocation *rev) {
    size_t len;
    char *cert = slurp(cert_file, &len);
    hp_trust_list *list = NULL;
    CHECK(hp_trust_list_new(&list) == HP_STATUS_OK);
    CHECK(hp_trust_list_add(list, (const uint8_t *)cert, len) == HP_STATUS_OK);
    CHECK(hp_trust_list_len(list) == 1);
    hp_verifier *v = NULL;
    CHECK(hp_verifier_new(list, rev, 0, &v) == HP_STATUS_OK);
    hp_trust_list_free(list); /* the verifier keeps its own copy */
    free(cert);
    return v;
}

/* Verifies DATA_DIR/name at t; returns the error class (HP_STATUS_OK if valid). */
static hp_status verify_file(const hp_verifier *v, const char *name, int64_t t) {
    size_t len;
    char *text = slurp(name, &len);
    hp_result *r = NULL;
    hp_status s = hp_verify(v, (const uint8_t *)text, len, t, &r);
    CHECK(s == HP_STATUS_OK && r != NULL);
    hp_status class = hp_result_error_kind(r);
    CHECK(hp_result_valid(r) == (class == HP_STATUS_OK));
    hp_result_free(r);
    free(text);
    return class;
}

static void test_valid_pass(void) {
    hp_verifier *v = verifier_for("trust.pem", NULL);
    size_t len;
    char *text = slurp("valid.txt", &len);
    hp_result *r = NULL;
    CHECK(hp_verify(v, (const uint8_t *)text, len, Y2030, &r) == HP_STATUS_OK);
    CHECK(hp_result_valid(r));
    CHECK(hp_result_error_kind(r) == HP_STATUS_OK);
    CHECK(hp_result_form(r) == HP_FORM_FULL);

    hp_str s = {0};
    CHECK(hp_result_date_of_birth(r, &s) == HP_STATUS_OK && str_is(s, "1964-08-12"));
    CHECK(hp_result_family_name_std(r, &s) == HP_STATUS_OK && str_is(s, "MUSTERFRAU<GOESSINGER"));
    CHECK(hp_result_given_name(r, &s) == HP_STATUS_OK && str_is(s, "Gabriele"));
    CHECK(hp_result_given_name_std(r, &s) == HP_STATUS_OK && s.len == 8);
    CHECK(hp_result_family_name(r, &s) == HP_STATUS_OK && s.len > 0);
    CHECK(hp_result_name(r, &s) == HP_STATUS_OK);
    CHECK(str_is(s, "Gabriele Musterfrau-G\xc3\xb6\xc3\x9finger"));
    int64_t until = 0;
    CHECK(hp_result_valid_until(r, &until) == HP_STATUS_OK && until == 2111184000); /* 2036-11-25T00:00:00Z */

    /* reason: empty for a valid pass */
    CHECK(hp_result_reason(r, &s) == HP_STATUS_OK && s.len == 0);

    /* health data only when asked for, borrowed from the result (made once) */
    hp_str json = {0}, again = {0};
    CHECK(hp_result_payload_json(r, &json) == HP_STATUS_OK && json.len > 100);
    CHECK(str_has(json, "\"840539006\""));
    CHECK(hp_result_payload_json(r, &again) == HP_STATUS_OK && again.ptr == json.ptr && again.len == json.len);

    hp_result_free(r);
    free(text);
    hp_verifier_free(v);
}

static void test_invalid_passes(void) {
    hp_verifier *v = verifier_for("trust.pem", NULL);
    CHECK(verify_file(v, "expired.txt", Y2030) == HP_STATUS_EXPIRED);
    CHECK(verify_file(v, "tampered.txt", Y2030) == HP_STATUS_BAD_SIGNATURE);
    CHECK(verify_file(v, "valid.txt", 1700000000) == HP_STATUS_UNTRUSTED); /* before the signer's validity */

    /* an invalid pass: no names, no payload, a reason */
    size_t len;
    char *text = slurp("tampered.txt", &len);
    hp_result *r = NULL;
    CHECK(hp_verify(v, (const uint8_t *)text, len, Y2030, &r) == HP_STATUS_OK);
    CHECK(!hp_result_valid(r));
    CHECK(hp_result_form(r) == HP_FORM_NONE);
    hp_str s = {0};
    CHECK(hp_result_date_of_birth(r, &s) == HP_STATUS_NOT_AVAILABLE);
    int64_t until = 0;
    CHECK(hp_result_valid_until(r, &until) == HP_STATUS_NOT_AVAILABLE);
    CHECK(hp_result_payload_json(r, &s) == HP_STATUS_NOT_AVAILABLE);
    CHECK(hp_result_reason(r, &s) == HP_STATUS_OK && str_is(s, "bad signature"));
    hp_result_free(r);
    free(text);

    /* garbage, bytes that are not UTF-8: malformed; empty text and no known format: unsupported */
    const char *garbage[] = {"HC1:", "HC1:\xff\xfe", "\xc3\x28", "shc:/1", "{\"data\":1}", "", "not a pass"};
    for (size_t i = 0; i < sizeof garbage / sizeof *garbage; i++) {
        r = NULL;
        CHECK(hp_verify(v, (const uint8_t *)garbage[i], strlen(garbage[i]), Y2030, &r) == HP_STATUS_OK);
        CHECK(hp_result_error_kind(r) == (i < 5 ? HP_STATUS_MALFORMED : HP_STATUS_UNSUPPORTED));
        hp_result_free(r);
    }
    /* bytes that are not UTF-8 are a malformed pass, with the reason said */
    r = NULL;
    CHECK(hp_verify(v, (const uint8_t *)"\xc3\x28", 2, Y2030, &r) == HP_STATUS_OK);
    CHECK(hp_result_reason(r, &s) == HP_STATUS_OK && str_is(s, "input is not utf-8 text"));
    hp_result_free(r);
    hp_verifier_free(v);
}

static void test_light_and_exemption(void) {
    hp_verifier *v = verifier_for("trust.pem", NULL);
    const char *names[] = {"light.txt", "valid-exemption.txt"};
    hp_form forms[] = {HP_FORM_LIGHT, HP_FORM_EXEMPTION};
    for (int i = 0; i < 2; i++) {
        size_t len;
        char *text = slurp(names[i], &len);
        hp_result *r = NULL;
        CHECK(hp_verify(v, (const uint8_t *)text, len, LIGHT_WEEK, &r) == HP_STATUS_OK);
        CHECK(hp_result_valid(r) && hp_result_form(r) == forms[i]);
        hp_result_free(r);
        free(text);
    }
    hp_verifier_free(v);
}

static int64_t read_time(const char *name) {
    size_t len;
    char *t = slurp(name, &len);
    int64_t v = strtoll(t, NULL, 10);
    free(t);
    return v;
}

static void test_corpus(void) {
    hp_verifier *v = verifier_for("corpus-valid.cert", NULL);
    CHECK(verify_file(v, "corpus-valid.txt", read_time("corpus-valid.time")) == HP_STATUS_OK);
    hp_verifier_free(v);

    v = verifier_for("corpus-invalid.cert", NULL);
    size_t len;
    char *want = slurp("corpus-invalid.class", &len);
    hp_status got = verify_file(v, "corpus-invalid.txt", read_time("corpus-invalid.time"));
    CHECK(str_is(hp_status_name(got), want));
    free(want);
    hp_verifier_free(v);
}

static void test_revocation(void) {
    size_t len, plen;
    char *pem = slurp("trust.pem", &plen);
    char *list_bytes = read_file("revoked.list", &len, 0);
    hp_trust_list *anchors = NULL;
    CHECK(hp_trust_list_new(&anchors) == HP_STATUS_OK);
    CHECK(hp_trust_list_add(anchors, (const uint8_t *)pem, plen) == HP_STATUS_OK);

    /* the list was signed just now (sequence 1), valid for 30 days */
    int64_t now = (int64_t)time(NULL);
    hp_revocation *rev = NULL;
    CHECK(hp_revocation_new(&rev) == HP_STATUS_OK);
    /* the list is binary: its length comes from the file, not strlen */
    CHECK(hp_revocation_add(rev, anchors, (const uint8_t *)list_bytes, len, now, 0) == HP_STATUS_OK);
    CHECK(hp_revocation_len(rev) == 1);
    /* refused, nothing added: corrupt, older than the last accepted
     * sequence, issued after the verification time */
    CHECK(hp_revocation_add(rev, anchors, (const uint8_t *)"junk", 4, now, 0) == HP_STATUS_INVALID_ARGUMENT);
    CHECK(hp_revocation_add(rev, anchors, (const uint8_t *)list_bytes, len, now, 2) == HP_STATUS_INVALID_ARGUMENT);
    CHECK(hp_revocation_add(rev, anchors, (const uint8_t *)list_bytes, len, LIGHT_WEEK, 0) == HP_STATUS_INVALID_ARGUMENT);
    CHECK(hp_revocation_len(rev) == 1);

    hp_verifier *v = NULL;
    CHECK(hp_verifier_new(anchors, rev, 0, &v) == HP_STATUS_OK);
    CHECK(verify_file(v, "valid.txt", now) == HP_STATUS_REVOKED);
    CHECK(verify_file(v, "valid-exemption.txt", now) == HP_STATUS_OK);
    hp_verifier_free(v);

    /* the list expires: every verdict is untrusted, as in the CLI and JS */
    int64_t later = now + 31LL * 86400;
    hp_revocation *expired = NULL;
    CHECK(hp_revocation_new(&expired) == HP_STATUS_OK);
    CHECK(hp_revocation_add(expired, anchors, (const uint8_t *)list_bytes, len, later, 0) == HP_STATUS_OK);
    CHECK(hp_verifier_new(anchors, expired, 0, &v) == HP_STATUS_OK);
    CHECK(verify_file(v, "valid-exemption.txt", later) == HP_STATUS_UNTRUSTED);
    hp_verifier_free(v);
    CHECK(hp_verifier_new(anchors, rev, 0, &v) == HP_STATUS_OK);
    CHECK(verify_file(v, "valid-exemption.txt", later) == HP_STATUS_UNTRUSTED);
    hp_verifier_free(v);

    hp_revocation_free(expired);
    hp_revocation_free(rev);
    hp_trust_list_free(anchors);
    free(pem);
    free(list_bytes);
}

/* The light pass made from a revoked pass is revoked too: a list signed
 * with a time inside the light pass's week. */
static void test_revoked_light_pass(void) {
    size_t len, plen;
    char *pem = slurp("trust.pem", &plen);
    char *list_bytes = read_file("revoked-week.list", &len, 0);
    hp_trust_list *anchors = NULL;
    CHECK(hp_trust_list_new(&anchors) == HP_STATUS_OK);
    CHECK(hp_trust_list_add(anchors, (const uint8_t *)pem, plen) == HP_STATUS_OK);
    hp_revocation *rev = NULL;
    CHECK(hp_revocation_new(&rev) == HP_STATUS_OK);
    CHECK(hp_revocation_add(rev, anchors, (const uint8_t *)list_bytes, len, LIGHT_WEEK, 0) == HP_STATUS_OK);
    hp_verifier *v = NULL;
    CHECK(hp_verifier_new(anchors, rev, 0, &v) == HP_STATUS_OK);
    CHECK(verify_file(v, "valid.txt", LIGHT_WEEK) == HP_STATUS_REVOKED);
    CHECK(verify_file(v, "light.txt", LIGHT_WEEK) == HP_STATUS_REVOKED);
    hp_verifier_free(v);
    hp_revocation_free(rev);
    hp_trust_list_free(anchors);
    free(pem);
    free(list_bytes);
}

static void test_null_arguments_and_errors(void) {
    hp_trust_list *list = NULL;
    uint8_t byte = 0;
    CHECK(hp_trust_list_new(NULL) == HP_STATUS_NULL_ARGUMENT);
    CHECK(hp_trust_list_add(NULL, &byte, 1) == HP_STATUS_NULL_ARGUMENT);
    CHECK(hp_trust_list_new(&list) == HP_STATUS_OK);
    CHECK(hp_trust_list_add(list, NULL, 0) == HP_STATUS_NULL_ARGUMENT);
    CHECK(hp_trust_list_add(list, (const uint8_t *)"not a certificate", 17) == HP_STATUS_INVALID_ARGUMENT);
    CHECK(hp_trust_list_len(list) == 0);
    CHECK(hp_trust_list_len(NULL) == 0);

    hp_revocation *rev = (hp_revocation *)&byte; /* must stay untouched */
    CHECK(hp_revocation_new(NULL) == HP_STATUS_NULL_ARGUMENT);
    CHECK(hp_revocation_add(NULL, list, &byte, 1, 0, 0) == HP_STATUS_NULL_ARGUMENT);
    CHECK(rev == (hp_revocation *)&byte);
    rev = NULL;
    CHECK(hp_revocation_new(&rev) == HP_STATUS_OK);
    CHECK(hp_revocation_add(rev, NULL, &byte, 1, 0, 0) == HP_STATUS_NULL_ARGUMENT);
    CHECK(hp_revocation_add(rev, list, NULL, 1, 0, 0) == HP_STATUS_NULL_ARGUMENT);
    CHECK(hp_revocation_len(rev) == 0 && hp_revocation_len(NULL) == 0);
    hp_revocation_free(rev);

    hp_verifier *v = (hp_verifier *)&byte;
    CHECK(hp_verifier_new(NULL, NULL, 0, &v) == HP_STATUS_NULL_ARGUMENT);
    CHECK(hp_verifier_new(list, NULL, 0, NULL) == HP_STATUS_NULL_ARGUMENT);
    CHECK(v == (hp_verifier *)&byte);
    v = NULL;
    CHECK(hp_verifier_new(list, NULL, 0, &v) == HP_STATUS_OK); /* an empty list trusts nothing */

    hp_result *r = (hp_result *)&byte;
    CHECK(hp_verify(NULL, &byte, 1, 0, &r) == HP_STATUS_NULL_ARGUMENT);
    CHECK(hp_verify(v, NULL, 1, 0, &r) == HP_STATUS_NULL_ARGUMENT);
    CHECK(hp_verify(v, &byte, 1, 0, NULL) == HP_STATUS_NULL_ARGUMENT);
    CHECK(r == (hp_result *)&byte);
    r = NULL;
    size_t len;
    char *text = slurp("valid.txt", &len);
    CHECK(hp_verify(v, (const uint8_t *)text, len, Y2030, &r) == HP_STATUS_OK);
    CHECK(hp_result_error_kind(r) == HP_STATUS_UNTRUSTED);
    free(text);

    hp_str s = {0};
    int64_t t = 0;
    CHECK(!hp_result_valid(NULL));
    CHECK(hp_result_error_kind(NULL) == HP_STATUS_NULL_ARGUMENT);
    CHECK(hp_result_form(NULL) == HP_FORM_NONE);
    CHECK(hp_result_valid_until(NULL, &t) == HP_STATUS_NULL_ARGUMENT);
    CHECK(hp_result_valid_until(r, NULL) == HP_STATUS_NULL_ARGUMENT);
    CHECK(hp_result_given_name(NULL, &s) == HP_STATUS_NULL_ARGUMENT);
    CHECK(hp_result_given_name(r, NULL) == HP_STATUS_NULL_ARGUMENT);
    CHECK(hp_result_family_name(NULL, &s) == HP_STATUS_NULL_ARGUMENT);
    CHECK(hp_result_family_name_std(NULL, &s) == HP_STATUS_NULL_ARGUMENT);
    CHECK(hp_result_given_name_std(NULL, &s) == HP_STATUS_NULL_ARGUMENT);
    CHECK(hp_result_name(NULL, &s) == HP_STATUS_NULL_ARGUMENT);
    CHECK(hp_result_name(r, &s) == HP_STATUS_NOT_AVAILABLE);
    CHECK(hp_result_date_of_birth(NULL, &s) == HP_STATUS_NULL_ARGUMENT);
    CHECK(hp_result_reason(NULL, &s) == HP_STATUS_NULL_ARGUMENT);
    CHECK(hp_result_reason(r, NULL) == HP_STATUS_NULL_ARGUMENT);
    CHECK(hp_result_payload_json(NULL, &s) == HP_STATUS_NULL_ARGUMENT);
    CHECK(hp_result_payload_json(r, NULL) == HP_STATUS_NULL_ARGUMENT);
    hp_result_free(r);

    /* status names and messages; any integer is safe */
    CHECK(str_is(hp_status_name(HP_STATUS_EXPIRED), "expired"));
    CHECK(str_is(hp_status_name(HP_STATUS_BAD_SIGNATURE), "bad_signature"));
    CHECK(str_is(hp_status_name(HP_STATUS_REVOKED), "revoked"));
    /* static strings also end in a NUL: printable with %s */
    CHECK(strcmp((const char *)hp_status_name(HP_STATUS_REVOKED).ptr, "revoked") == 0);
    const int32_t unknown[] = {-1, 6, 99, 109, 1000, INT32_MAX, INT32_MIN};
    for (size_t i = 0; i < sizeof unknown / sizeof *unknown; i++) {
        CHECK(str_is(hp_status_name(unknown[i]), "unknown"));
        CHECK(str_is(hp_status_message(unknown[i]), "unknown status"));
    }
    CHECK(str_is(hp_status_message(HP_STATUS_EXPIRED), "the pass has expired"));
    CHECK(hp_version().len > 0 && strlen((const char *)hp_version().ptr) == hp_version().len);

    /* the fixed numbers of the ABI */
    CHECK(HP_STATUS_OK == 0 && HP_STATUS_NULL_ARGUMENT == 1 && HP_STATUS_PANIC == 4);
    CHECK(HP_STATUS_MALFORMED == 100 && HP_STATUS_EXPIRED == 105 && HP_STATUS_REVOKED == 106);

    /* every _free accepts NULL */
    hp_trust_list_free(NULL);
    hp_revocation_free(NULL);
    hp_verifier_free(NULL);
    hp_result_free(NULL);

    hp_verifier_free(v);
    hp_trust_list_free(list);
}

/* ---------------------------------------------------------------- rules */

static const int64_t DEC_1 = 1796126400; /* 2026-12-01T12:00:00Z */

/* Verifies DATA_DIR/name at t under policy (NULL: the verifier's); returns the result. */
static hp_result *verify_with(const hp_verifier *v, const hp_policy *p, const char *name, int64_t t) {
    size_t len;
    char *text = slurp(name, &len);
    hp_result *r = NULL;
    CHECK(hp_verify_with(v, p, (const uint8_t *)text, len, t, &r) == HP_STATUS_OK && r != NULL);
    free(text);
    return r;
}

static int mode_is(const hp_result *r, const char *want) {
    hp_str s = {0};
    if (hp_result_mode_result(r, &s) != HP_STATUS_OK) return want == NULL;
    return want != NULL && str_is(s, want);
}

/* Two EU acceptance rules for country XX: a vaccination series must be
 * complete (passes for the demo pass), and a dose number below zero (fails). */
static const char XX_RULES[] =
    "[{\"Identifier\":\"VR-XX-0001\",\"Type\":\"Acceptance\",\"Country\":\"XX\",\"Version\":\"1.0.0\","
    "\"SchemaVersion\":\"1.0.0\",\"Engine\":\"CERTLOGIC\",\"EngineVersion\":\"0.7.5\","
    "\"CertificateType\":\"Vaccination\",\"ValidFrom\":\"2026-01-01T00:00:00Z\",\"ValidTo\":\"2030-01-01T00:00:00Z\","
    "\"AffectedFields\":[\"v.0.dn\",\"v.0.sd\"],\"Description\":[{\"lang\":\"en\",\"desc\":\"the vaccination series must be complete\"}],"
    "\"Logic\":{\"if\":[{\"var\":\"payload.v.0\"},{\">=\":[{\"var\":\"payload.v.0.dn\"},{\"var\":\"payload.v.0.sd\"}]},true]}},"
    "{\"Identifier\":\"VR-XX-0002\",\"Type\":\"Acceptance\",\"Country\":\"XX\",\"Version\":\"1.0.0\","
    "\"SchemaVersion\":\"1.0.0\",\"Engine\":\"CERTLOGIC\",\"EngineVersion\":\"0.7.5\","
    "\"CertificateType\":\"Vaccination\",\"ValidFrom\":\"2026-01-01T00:00:00Z\",\"ValidTo\":\"2030-01-01T00:00:00Z\","
    "\"AffectedFields\":[\"v.0.dn\"],\"Description\":[{\"lang\":\"en\",\"desc\":\"the dose number must be below zero\"},{\"lang\":\"de\",\"desc\":\"die Dosisnummer muss unter null liegen\"}],"
    "\"Logic\":{\"<\":[{\"var\":\"payload.v.0.dn\"},0]}}]";

static void test_rules(void) {
    size_t len;
    char *cert = slurp("trust.pem", &len);
    hp_trust_list *list = NULL;
    CHECK(hp_trust_list_new(&list) == HP_STATUS_OK);
    CHECK(hp_trust_list_add(list, (const uint8_t *)cert, len) == HP_STATUS_OK);
    free(cert);

    /* A preset: its one mode applies without a policy. */
    hp_rules *two_g = NULL;
    CHECK(hp_rules_preset((const uint8_t *)"2g", 2, &two_g) == HP_STATUS_OK);
    CHECK(hp_rules_len(two_g) > 0);
    hp_verifier *v = NULL;
    CHECK(hp_verifier_new_with_rules(list, NULL, two_g, NULL, 0, &v) == HP_STATUS_OK);
    hp_rules_free(two_g); /* copied into the verifier */

    hp_result *r = verify_with(v, NULL, "valid.txt", DEC_1);
    CHECK(hp_result_valid(r));
    CHECK(hp_result_admission(r) == HP_ADMISSION_ADMITTED);
    CHECK(hp_result_failed_rule_count(r) == 0);
    CHECK(mode_is(r, "SUCCESS"));
    hp_result_free(r);

    r = verify_with(v, NULL, "valid-test.txt", DEC_1);
    CHECK(!hp_result_valid(r));
    CHECK(hp_result_error_kind(r) == HP_STATUS_REJECTED_BY_RULES);
    CHECK(hp_result_admission(r) == HP_ADMISSION_REFUSED);
    CHECK(mode_is(r, "INVALID"));
    hp_str s = {0};
    CHECK(hp_result_name(r, &s) == HP_STATUS_NOT_AVAILABLE); /* refused: no holder shown */
    hp_result_free(r);

    /* A pass that does not verify: the rules are not evaluated. */
    r = verify_with(v, NULL, "tampered.txt", DEC_1);
    CHECK(hp_result_error_kind(r) == HP_STATUS_BAD_SIGNATURE);
    CHECK(hp_result_admission(r) == HP_ADMISSION_NOT_EVALUATED);
    CHECK(mode_is(r, NULL));
    hp_result_free(r);

    /* A per-call policy with a mode the set does not have. */
    hp_policy *p = NULL;
    CHECK(hp_policy_new(&p) == HP_STATUS_OK);
    CHECK(hp_policy_set_mode(p, (const uint8_t *)"3g", 2) == HP_STATUS_OK);
    r = verify_with(v, p, "valid.txt", DEC_1);
    CHECK(hp_result_error_kind(r) == HP_STATUS_REJECTED_BY_RULES);
    CHECK(hp_result_admission(r) == HP_ADMISSION_NOT_EVALUATED);
    hp_result_free(r);
    hp_verifier_free(v);
    /* As the verifier's own policy, such a mode is refused when building. */
    CHECK(hp_rules_preset((const uint8_t *)"2g", 2, &two_g) == HP_STATUS_OK);
    v = NULL;
    CHECK(hp_verifier_new_with_rules(list, NULL, two_g, p, 0, &v) == HP_STATUS_INVALID_ARGUMENT && v == NULL);
    hp_rules_free(two_g);
    hp_policy_free(p);

    /* EU rules for a country of arrival, descriptions in German. */
    hp_rules *xx = NULL;
    CHECK(hp_rules_load((const uint8_t *)XX_RULES, strlen(XX_RULES), &xx) == HP_STATUS_OK);
    CHECK(hp_rules_len(xx) == 2);
    p = NULL;
    CHECK(hp_policy_new(&p) == HP_STATUS_OK);
    CHECK(hp_policy_set_country(p, (const uint8_t *)"XX", 2) == HP_STATUS_OK);
    CHECK(hp_policy_set_language(p, (const uint8_t *)"de", 2) == HP_STATUS_OK);
    v = NULL;
    CHECK(hp_verifier_new_with_rules(list, NULL, xx, p, 0, &v) == HP_STATUS_OK);
    r = verify_with(v, NULL, "valid.txt", DEC_1);
    CHECK(hp_result_error_kind(r) == HP_STATUS_REJECTED_BY_RULES);
    CHECK(hp_result_admission(r) == HP_ADMISSION_REFUSED);
    CHECK(hp_result_failed_rule_count(r) == 1);
    hp_str id = {0}, desc = {0};
    CHECK(hp_result_failed_rule(r, 0, &id, &desc) == HP_STATUS_OK);
    CHECK(str_is(id, "VR-XX-0002"));
    CHECK(str_is(desc, "die Dosisnummer muss unter null liegen"));
    CHECK(hp_result_failed_rule(r, 0, &id, NULL) == HP_STATUS_OK);
    CHECK(hp_result_failed_rule(r, 1, &id, NULL) == HP_STATUS_NOT_AVAILABLE);
    CHECK(hp_result_failed_rule(r, (size_t)-1, &id, NULL) == HP_STATUS_NOT_AVAILABLE);
    CHECK(hp_result_failed_rule(r, 0, NULL, &desc) == HP_STATUS_NULL_ARGUMENT);
    CHECK(mode_is(r, NULL));
    CHECK(hp_result_reason(r, &s) == HP_STATUS_OK && str_is(s, "refused by rules: VR-XX-0002"));
    hp_result_free(r);
    /* Another country: no rule applies, nothing admits. */
    hp_policy *elsewhere = NULL;
    CHECK(hp_policy_new(&elsewhere) == HP_STATUS_OK);
    CHECK(hp_policy_set_country(elsewhere, (const uint8_t *)"DE", 2) == HP_STATUS_OK);
    r = verify_with(v, elsewhere, "valid.txt", DEC_1);
    CHECK(hp_result_admission(r) == HP_ADMISSION_NOT_EVALUATED);
    CHECK(hp_result_error_kind(r) == HP_STATUS_REJECTED_BY_RULES);
    hp_result_free(r);
    hp_policy_free(elsewhere);
    hp_verifier_free(v);
    hp_rules_free(xx);
    hp_policy_free(p);

    /* Without rules: no admission. */
    v = verifier_for("trust.pem", NULL);
    r = verify_with(v, NULL, "valid.txt", DEC_1);
    CHECK(hp_result_valid(r));
    CHECK(hp_result_admission(r) == HP_ADMISSION_NO_RULES);
    CHECK(hp_result_failed_rule_count(r) == 0);
    CHECK(mode_is(r, NULL));
    hp_result_free(r);
    hp_verifier_free(v);

    /* Refusals and NULLs. */
    hp_rules *bad = NULL;
    CHECK(hp_rules_preset((const uint8_t *)"4g", 2, &bad) == HP_STATUS_INVALID_ARGUMENT && bad == NULL);
    CHECK(hp_rules_load((const uint8_t *)"{\"Logic\":1}", 11, &bad) == HP_STATUS_INVALID_ARGUMENT && bad == NULL);
    CHECK(hp_rules_load((const uint8_t *)"\xff\xfe", 2, &bad) == HP_STATUS_INVALID_ARGUMENT && bad == NULL);
    CHECK(hp_rules_load((const uint8_t *)"[", 1, &bad) == HP_STATUS_INVALID_ARGUMENT && bad == NULL);
    CHECK(hp_rules_load(NULL, 0, &bad) == HP_STATUS_NULL_ARGUMENT);
    CHECK(hp_rules_preset((const uint8_t *)"2g", 2, NULL) == HP_STATUS_NULL_ARGUMENT);
    CHECK(hp_policy_new(NULL) == HP_STATUS_NULL_ARGUMENT);
    p = NULL;
    CHECK(hp_policy_new(&p) == HP_STATUS_OK);
    CHECK(hp_policy_set_country(p, (const uint8_t *)"\xc3", 1) == HP_STATUS_INVALID_ARGUMENT);
    CHECK(hp_policy_set_region(NULL, (const uint8_t *)"X", 1) == HP_STATUS_NULL_ARGUMENT);
    CHECK(hp_policy_set_mode(p, NULL, 0) == HP_STATUS_NULL_ARGUMENT);
    hp_policy_free(p);
    CHECK(hp_rules_len(NULL) == 0);
    CHECK(hp_result_admission(NULL) == HP_ADMISSION_NO_RULES);
    CHECK(hp_result_failed_rule_count(NULL) == 0);
    CHECK(hp_result_mode_result(NULL, &s) == HP_STATUS_NULL_ARGUMENT);
    CHECK(str_is(hp_status_name(HP_STATUS_REJECTED_BY_RULES), "rejected_by_rules"));
    hp_rules_free(NULL);
    hp_policy_free(NULL);
    hp_trust_list_free(list);
    printf("rules: presets, EU rules by country, per-call policies, refusals\n");
}

/* ---------------------------------------------------------------- DDCC, DVC */

static void test_family(void) {
    hp_verifier *v = verifier_for("trust.pem", NULL);
    size_t len;
    char *text = slurp("dvc.txt", &len);
    hp_result *r = NULL;
    CHECK(hp_verify(v, (const uint8_t *)text, len, DEC_1, &r) == HP_STATUS_OK);
    CHECK(hp_result_valid(r));
    CHECK(hp_result_form(r) == HP_FORM_DVC);
    hp_str s = {0};
    CHECK(hp_result_name(r, &s) == HP_STATUS_OK && str_is(s, "Amina Okafor"));
    CHECK(hp_result_date_of_birth(r, &s) == HP_STATUS_OK && str_is(s, "1988-02-14"));
    CHECK(hp_result_family_name(r, &s) == HP_STATUS_NOT_AVAILABLE); /* one name, as written */
    int64_t until = 0;
    CHECK(hp_result_valid_until(r, &until) == HP_STATUS_OK && until == 2111183999); /* vle 2036-11-24, last second */
    hp_result_free(r);

    /* A verifier that requires exp of a DVC: the same pass is malformed. */
    hp_verifier *strict = NULL;
    CHECK(hp_verifier_accept_missing_exp(v, HP_MEMBER_DVC, false, &strict) == HP_STATUS_OK);
    r = NULL;
    CHECK(hp_verify(strict, (const uint8_t *)text, len, DEC_1, &r) == HP_STATUS_OK);
    CHECK(hp_result_error_kind(r) == HP_STATUS_MALFORMED);
    CHECK(hp_result_reason(r, &s) == HP_STATUS_OK && str_has(s, "no exp"));
    hp_result_free(r);
    hp_verifier_free(strict);
    /* Member numbers are checked: an EU DCC never goes without exp. */
    hp_verifier *none = NULL;
    CHECK(hp_verifier_accept_missing_exp(v, HP_MEMBER_EU_DCC, true, &none) == HP_STATUS_INVALID_ARGUMENT && none == NULL);
    CHECK(hp_verifier_accept_missing_exp(v, 99, true, &none) == HP_STATUS_INVALID_ARGUMENT && none == NULL);
    CHECK(hp_verifier_accept_missing_exp(v, -1, true, &none) == HP_STATUS_INVALID_ARGUMENT);
    CHECK(hp_verifier_accept_missing_exp(v, 4, true, &none) == HP_STATUS_INVALID_ARGUMENT);
    CHECK(hp_verifier_accept_missing_exp(NULL, HP_MEMBER_DVC, true, &none) == HP_STATUS_NULL_ARGUMENT);
    CHECK(hp_verifier_accept_missing_exp(v, HP_MEMBER_DVC, true, NULL) == HP_STATUS_NULL_ARGUMENT);
    /* Deriving leaves the verifier it came from as it was. */
    CHECK(verify_file(v, "dvc.txt", DEC_1) == HP_STATUS_OK);
    free(text);

    text = slurp("ddcc-vaccination.txt", &len);
    r = NULL;
    CHECK(hp_verify(v, (const uint8_t *)text, len, DEC_1, &r) == HP_STATUS_OK);
    CHECK(hp_result_valid(r) && hp_result_form(r) == HP_FORM_DDCC_VACCINATION);
    CHECK(hp_result_name(r, &s) == HP_STATUS_OK && str_is(s, "Kofi Mensah"));
    CHECK(hp_result_payload_json(r, &s) == HP_STATUS_OK && str_has(s, "\"vaccination\""));
    hp_result_free(r);
    free(text);
    hp_verifier_free(v);
    printf("family: dvc and ddcc forms, the missing-exp policy\n");
}

/* ---------------------------------------------------------------- threads */

#define THREADS 4
/* Verifies per thread: 2500 natively; under valgrind (HP_UNDER_VALGRIND),
 * whose memcheck finds no races anyway, 50 walk the same paths. */
static int PER_THREAD = 2500;

struct job {
    const hp_verifier *v;
    const char *text;
    size_t len;
    int valid;
};

/* The chained mode: signers must come from a configured country signing CA. */
static void test_chains(void) {
    const int64_t APR = 1775001600; /* 2026-04-01T00:00:00Z */
    const int64_t AUG = 1785542400; /* 2026-08-01T00:00:00Z, after csca-short ends */
    size_t n, m;
    char *csca = slurp("csca-xa.pem", &n);
    hp_trust_list *list = NULL;
    CHECK(hp_trust_list_new_chained(NULL, 0, &list) == HP_STATUS_NULL_ARGUMENT);
    CHECK(hp_trust_list_new_chained((const uint8_t *)csca, n, NULL) == HP_STATUS_NULL_ARGUMENT);
    CHECK(hp_trust_list_new_chained((const uint8_t *)csca, n, &list) == HP_STATUS_OK);
    char *dsc = slurp("dsc-p256.pem", &m);
    CHECK(hp_trust_list_add(list, (const uint8_t *)dsc, m) == HP_STATUS_OK);
    free(dsc);
    dsc = slurp("dsc-other-country.pem", &m);
    CHECK(hp_trust_list_add(list, (const uint8_t *)dsc, m) == HP_STATUS_INVALID_ARGUMENT);
    free(dsc);
    CHECK(hp_trust_list_len(list) == 1);
    hp_verifier *v = NULL;
    CHECK(hp_verifier_new(list, NULL, 0, &v) == HP_STATUS_OK);
    CHECK(verify_file(v, "p256-pass.txt", APR) == HP_STATUS_OK);
    hp_verifier_free(v);
    hp_trust_list_free(list);
    free(csca);

    /* A CSCA that is no CA is refused; no list is made. */
    csca = slurp("csca-not-ca.pem", &n);
    list = NULL;
    CHECK(hp_trust_list_new_chained((const uint8_t *)csca, n, &list) == HP_STATUS_INVALID_ARGUMENT);
    CHECK(list == NULL);
    free(csca);

    /* A signer is valid only while its CSCA is. */
    csca = slurp("csca-short.pem", &n);
    CHECK(hp_trust_list_new_chained((const uint8_t *)csca, n, &list) == HP_STATUS_OK);
    dsc = slurp("dsc-short.pem", &m);
    CHECK(hp_trust_list_add(list, (const uint8_t *)dsc, m) == HP_STATUS_OK);
    CHECK(hp_verifier_new(list, NULL, 0, &v) == HP_STATUS_OK);
    CHECK(verify_file(v, "short-pass.txt", APR) == HP_STATUS_OK);
    CHECK(verify_file(v, "short-pass.txt", AUG) == HP_STATUS_UNTRUSTED);
    hp_verifier_free(v);
    hp_trust_list_free(list);
    free(dsc);
    free(csca);
}

/* Signed trust lists: verified against list anchors, failing closed on expiry. */
static void test_signed_trust_list(void) {
    const int64_t JAN_2027 = 1798761600; /* 2027-01-01T00:00:00Z, after the list expires */
    size_t n, m;
    char *bytes = read_file("trust-list.cose", &n, 0);
    char *anchor = slurp("dsc-p384.pem", &m);
    hp_trust_list *anchors = NULL, *pass_signers = NULL, *list = NULL;
    CHECK(hp_trust_list_new(&anchors) == HP_STATUS_OK);
    CHECK(hp_trust_list_add(anchors, (const uint8_t *)anchor, m) == HP_STATUS_OK);
    CHECK(hp_trust_list_load_signed(NULL, 0, anchors, LIGHT_WEEK, 0, &list) == HP_STATUS_NULL_ARGUMENT);
    CHECK(hp_trust_list_load_signed((const uint8_t *)bytes, n, NULL, LIGHT_WEEK, 0, &list) == HP_STATUS_NULL_ARGUMENT);
    /* Older than the last sequence accepted; issued after the time given. */
    CHECK(hp_trust_list_load_signed((const uint8_t *)bytes, n, anchors, LIGHT_WEEK, 2, &list) == HP_STATUS_INVALID_ARGUMENT);
    CHECK(hp_trust_list_load_signed((const uint8_t *)bytes, n, anchors, LIGHT_WEEK - 86400, 0, &list) == HP_STATUS_INVALID_ARGUMENT);
    CHECK(list == NULL);
    /* The pass signers do not sign lists. */
    pass_signers = NULL;
    size_t k;
    char *demo = slurp("trust.pem", &k);
    CHECK(hp_trust_list_new(&pass_signers) == HP_STATUS_OK);
    CHECK(hp_trust_list_add(pass_signers, (const uint8_t *)demo, k) == HP_STATUS_OK);
    CHECK(hp_trust_list_load_signed((const uint8_t *)bytes, n, pass_signers, LIGHT_WEEK, 0, &list) == HP_STATUS_INVALID_ARGUMENT);
    /* A flipped byte. */
    bytes[n - 5] ^= 1;
    CHECK(hp_trust_list_load_signed((const uint8_t *)bytes, n, anchors, LIGHT_WEEK, 0, &list) == HP_STATUS_INVALID_ARGUMENT);
    bytes[n - 5] ^= 1;

    CHECK(hp_trust_list_load_signed((const uint8_t *)bytes, n, anchors, LIGHT_WEEK, 1, &list) == HP_STATUS_OK);
    CHECK(hp_trust_list_len(list) == 1);
    hp_verifier *v = NULL;
    CHECK(hp_verifier_new(list, NULL, 0, &v) == HP_STATUS_OK);
    CHECK(verify_file(v, "valid.txt", DEC_1) == HP_STATUS_OK);
    CHECK(verify_file(v, "valid.txt", JAN_2027) == HP_STATUS_UNTRUSTED);
    hp_verifier_free(v);
    hp_trust_list_free(list);
    hp_trust_list_free(pass_signers);
    hp_trust_list_free(anchors);
    free(demo);
    free(anchor);
    free(bytes);
}

/* A signed rule set (issue 22.6): only its anchors sign it; an unsigned
 * file, another signer, an older sequence are refused; past its expiry it
 * admits nobody. */
static void test_signed_rules(void) {
    const int64_t DEC_8 = 1796688000; /* 2026-12-08T00:00:00Z, after the set expires */
    size_t n, m, k, j;
    char *signed_rules = read_file("2g.rules", &n, 0);
    char *anchor = slurp("dsc-p384.pem", &m);
    char *demo = slurp("trust.pem", &k);
    char *plain = read_file("2g.json", &j, 0);
    hp_trust_list *anchors = NULL, *others = NULL, *passes = NULL;
    CHECK(hp_trust_list_new(&anchors) == HP_STATUS_OK);
    CHECK(hp_trust_list_add(anchors, (const uint8_t *)anchor, m) == HP_STATUS_OK);
    CHECK(hp_trust_list_new(&others) == HP_STATUS_OK);
    CHECK(hp_trust_list_add(others, (const uint8_t *)demo, k) == HP_STATUS_OK);
    CHECK(hp_trust_list_new(&passes) == HP_STATUS_OK);
    CHECK(hp_trust_list_add(passes, (const uint8_t *)demo, k) == HP_STATUS_OK);
    hp_rules *rules = NULL;
    CHECK(hp_rules_load_signed(NULL, (const uint8_t *)signed_rules, n, DEC_1, 0, &rules) == HP_STATUS_NULL_ARGUMENT);
    CHECK(hp_rules_load_signed(anchors, NULL, n, DEC_1, 0, &rules) == HP_STATUS_NULL_ARGUMENT);
    CHECK(hp_rules_load_signed(anchors, (const uint8_t *)plain, j, DEC_1, 0, &rules) == HP_STATUS_INVALID_ARGUMENT);
    CHECK(hp_rules_load_signed(others, (const uint8_t *)signed_rules, n, DEC_1, 0, &rules) == HP_STATUS_INVALID_ARGUMENT);
    CHECK(hp_rules_load_signed(anchors, (const uint8_t *)signed_rules, n, DEC_1, 3, &rules) == HP_STATUS_INVALID_ARGUMENT);
    signed_rules[n / 2] ^= 1;
    CHECK(hp_rules_load_signed(anchors, (const uint8_t *)signed_rules, n, DEC_1, 0, &rules) == HP_STATUS_INVALID_ARGUMENT);
    signed_rules[n / 2] ^= 1;
    CHECK(rules == NULL);
    CHECK(hp_rules_load_signed(anchors, (const uint8_t *)signed_rules, n, DEC_1, 2, &rules) == HP_STATUS_OK);
    CHECK(hp_rules_len(rules) == 9);
    hp_verifier *v = NULL;
    CHECK(hp_verifier_new_with_rules(passes, NULL, rules, NULL, 0, &v) == HP_STATUS_OK);
    hp_result *r = verify_with(v, NULL, "valid.txt", DEC_1);
    CHECK(hp_result_valid(r) && mode_is(r, "SUCCESS"));
    hp_result_free(r);
    r = verify_with(v, NULL, "valid-test.txt", DEC_1);
    CHECK(hp_result_error_kind(r) == HP_STATUS_REJECTED_BY_RULES);
    hp_result_free(r);
    r = verify_with(v, NULL, "valid.txt", DEC_8);
    CHECK(!hp_result_valid(r) && hp_result_error_kind(r) == HP_STATUS_REJECTED_BY_RULES);
    CHECK(hp_result_admission(r) == HP_ADMISSION_NOT_EVALUATED);
    hp_result_free(r);
    hp_verifier_free(v);
    hp_rules_free(rules);
    hp_trust_list_free(anchors);
    hp_trust_list_free(others);
    hp_trust_list_free(passes);
    free(signed_rules);
    free(anchor);
    free(demo);
    free(plain);
}

/* A WHO GDHCN DID trust list: proof checked offline, DSCs chained. */
static void test_gdhcn(void) {
    size_t n, m, u;
    char *list = read_file("dev-v2-root.did.json", &n, 0);
    char *dev = read_file("who-signing-dev.did.json", &m, 0);
    char *uat = read_file("who-signing-uat.did.json", &u, 0);
    hp_trust_list *trust = NULL;
    size_t left_out = 99;
    CHECK(hp_trust_list_load_gdhcn(NULL, 0, (const uint8_t *)dev, m, NULL, 0, NULL, &trust) == HP_STATUS_NULL_ARGUMENT);
    CHECK(hp_trust_list_load_gdhcn((const uint8_t *)list, n, (const uint8_t *)uat, u, NULL, 0, NULL, &trust) == HP_STATUS_INVALID_ARGUMENT);
    CHECK(trust == NULL);
    CHECK(hp_trust_list_load_gdhcn((const uint8_t *)list, n, (const uint8_t *)dev, m, (const uint8_t *)"DCC", 3, &left_out, &trust) == HP_STATUS_OK);
    CHECK(hp_trust_list_len(trust) == 37);
    CHECK(left_out == 1);
    hp_trust_list *bad = NULL;
    CHECK(hp_trust_list_load_gdhcn((const uint8_t *)list, n, (const uint8_t *)dev, m, (const uint8_t *)"\xff", 1, NULL, &bad) == HP_STATUS_INVALID_ARGUMENT && bad == NULL);
    hp_verifier *v = NULL;
    CHECK(hp_verifier_new(trust, NULL, 0, &v) == HP_STATUS_OK);
    CHECK(verify_file(v, "DVCTestQR.txt", DEC_1) == HP_STATUS_UNTRUSTED); /* its signer is not listed */
    hp_verifier_free(v);
    hp_trust_list_free(trust);
    /* Into a trust store beside other directories: 37 DSCs, the one left
     * out a refusal of the report; another environment's signer loads
     * nothing. */
    hp_trust_store *store = NULL;
    CHECK(hp_trust_store_new(&store) == HP_STATUS_OK);
    hp_load_report *report = NULL;
    CHECK(hp_trust_store_load_gdhcn(store, (const uint8_t *)list, n, (const uint8_t *)uat, u, NULL, 0, &report) == HP_STATUS_INVALID_ARGUMENT && report == NULL);
    CHECK(hp_trust_store_load_gdhcn(store, (const uint8_t *)list, n, (const uint8_t *)dev, m, (const uint8_t *)"DCC", 3, &report) == HP_STATUS_OK);
    CHECK(hp_load_report_framework(report, HP_FRAMEWORK_HCERT) == 37 && hp_load_report_refused_count(report) == 1);
    hp_str entry = {0}, reason = {0};
    CHECK(hp_load_report_refused(report, 0, &entry, &reason) == HP_STATUS_OK && str_has(entry, "#ABCDEFGH"));
    hp_load_report_free(report);
    hp_trust_store_free(store);
    /* A changed byte in the list: the proof fails, nothing loads. */
    list[n / 2] = list[n / 2] == 'A' ? 'B' : 'A';
    trust = NULL;
    CHECK(hp_trust_list_load_gdhcn((const uint8_t *)list, n, (const uint8_t *)dev, m, NULL, 0, NULL, &trust) == HP_STATUS_INVALID_ARGUMENT);
    CHECK(trust == NULL);
    free(list);
    free(dev);
    free(uat);
}

/* One scan, any pass: SMART Health Cards and ICAO seals through hp_verify. */
static void test_other_formats(void) {
    const int64_t NOV_29 = 1795910400; /* 2026-11-29T00:00:00Z */
    /* The Japanese seal: valid with its signer pinned, untrusted without. */
    hp_verifier *pinned = verifier_for("JP-seal-signer.pem", NULL);
    size_t len;
    char *seal = read_file("ICAOJPQR1Contents.txt", &len, 1);
    hp_result *r = NULL;
    CHECK(hp_verify(pinned, (const uint8_t *)seal, len, NOV_29, &r) == HP_STATUS_OK);
    CHECK(hp_result_valid(r));
    CHECK(hp_result_form(r) == HP_FORM_ICAO_VACCINATION);
    hp_str name = {0};
    CHECK(hp_result_name(r, &name) == HP_STATUS_OK && str_is(name, "NIHON HANAKO"));
    CHECK(hp_result_date_of_birth(r, &name) == HP_STATUS_OK && str_is(name, "1991-12-01"));
    CHECK(hp_result_family_name(r, &name) == HP_STATUS_NOT_AVAILABLE);
    CHECK(hp_result_issuer(r, &name) == HP_STATUS_NOT_AVAILABLE); /* a seal: no iss */
    hp_result_free(r);
    hp_verifier *demo = verifier_for("trust.pem", NULL);
    CHECK(verify_file(demo, "ICAOJPQR1Contents.txt", NOV_29) == HP_STATUS_UNTRUSTED);
    CHECK(verify_file(demo, "unknown-format.txt", NOV_29) == HP_STATUS_UNSUPPORTED);
    free(seal);
    hp_verifier_free(pinned);

    /* A card signed with the spec's example key: untrusted until its JWK set is given. */
    CHECK(verify_file(demo, "example-card.txt", NOV_29) == HP_STATUS_UNTRUSTED);
    hp_shc_issuers *issuers = NULL;
    CHECK(hp_shc_issuers_new(&issuers) == HP_STATUS_OK);
    size_t jwks_len;
    char *jwks = read_file("example-issuer.jwks.json", &jwks_len, 0);
    const char *iss = "https://spec.smarthealth.cards/examples/issuer";
    CHECK(hp_shc_issuers_add_jwks(issuers, (const uint8_t *)jwks, jwks_len, (const uint8_t *)iss, strlen(iss)) == HP_STATUS_OK);
    CHECK(hp_shc_issuers_len(issuers) == 2);
    char *private_jwks = read_file("example-issuer.jwks.private.json", &len, 0);
    CHECK(hp_shc_issuers_add_jwks(issuers, (const uint8_t *)private_jwks, len, (const uint8_t *)iss, strlen(iss)) == HP_STATUS_INVALID_ARGUMENT);
    CHECK(hp_shc_issuers_add_jwks_any_issuer(issuers, (const uint8_t *)private_jwks, len) == HP_STATUS_INVALID_ARGUMENT);
    CHECK(hp_shc_issuers_add_jwks(issuers, (const uint8_t *)jwks, jwks_len, NULL, 0) == HP_STATUS_NULL_ARGUMENT);
    CHECK(hp_shc_issuers_add_jwks(issuers, (const uint8_t *)jwks, jwks_len, (const uint8_t *)"", 0) == HP_STATUS_INVALID_ARGUMENT);
    CHECK(hp_shc_issuers_add_jwks(issuers, (const uint8_t *)jwks, jwks_len, (const uint8_t *)"http://x", 8) == HP_STATUS_INVALID_ARGUMENT);
    CHECK(hp_shc_issuers_add_jwks(NULL, (const uint8_t *)jwks, 1, (const uint8_t *)iss, strlen(iss)) == HP_STATUS_NULL_ARGUMENT);
    CHECK(hp_shc_issuers_add_jwks(issuers, (const uint8_t *)"\xff", 1, (const uint8_t *)iss, strlen(iss)) == HP_STATUS_INVALID_ARGUMENT);
    /* The example key announces a revocation list (crlVersion): without
     * one, its cards are untrusted (fail closed, issue 22.12). */
    hp_verifier *no_crl = NULL;
    CHECK(hp_verifier_with_shc_issuers(demo, issuers, &no_crl) == HP_STATUS_OK);
    CHECK(verify_file(no_crl, "example-card.txt", NOV_29) == HP_STATUS_UNTRUSTED);
    hp_verifier_free(no_crl);
    char *crl = read_file("example-issuer.crl-3Kfdg.json", &len, 0);
    CHECK(hp_shc_issuers_add_revocation_list(issuers, (const uint8_t *)crl, len) == HP_STATUS_OK);
    hp_verifier *shc = NULL;
    CHECK(hp_verifier_with_shc_issuers(demo, issuers, &shc) == HP_STATUS_OK);
    char *card = read_file("example-card.txt", &len, 1);
    r = NULL;
    CHECK(hp_verify(shc, (const uint8_t *)card, len, NOV_29, &r) == HP_STATUS_OK);
    CHECK(hp_result_valid(r));
    CHECK(hp_result_form(r) == HP_FORM_SHC);
    CHECK(hp_result_issuer(r, &name) == HP_STATUS_OK && str_is(name, iss));
    CHECK(hp_result_issuer(NULL, &name) == HP_STATUS_NULL_ARGUMENT);
    CHECK(hp_result_payload_json(r, &name) == HP_STATUS_OK && name.len > 100);
    hp_result_free(r);
    card[len / 2] = card[len / 2] == '0' ? '1' : '0';
    r = NULL;
    CHECK(hp_verify(shc, (const uint8_t *)card, len, NOV_29, &r) == HP_STATUS_OK);
    CHECK(!hp_result_valid(r));
    hp_result_free(r);
    /* With the example revocation list, the listed card is revoked. */
    CHECK(verify_file(shc, "example-card-revoked.txt", NOV_29) == HP_STATUS_REVOKED);
    CHECK(verify_file(shc, "example-card.txt", NOV_29) == HP_STATUS_OK);
    hp_shc_issuers_free(issuers);
    hp_shc_issuers_free(NULL);
    free(card);
    free(jwks);
    free(private_jwks);
    free(crl);
    hp_verifier_free(shc);
    hp_verifier_free(demo);
}

/* Trust directories as their publishers ship them (tests/data/directories):
 * counts as Rust's tests/trust_store.rs and the independent counts.py. */
static hp_load_report *load_dir(hp_trust_store *store, const char *file, const char *iss, uint32_t flags,
                                hp_status want) {
    size_t len;
    char *bytes = read_file(file, &len, 0);
    hp_load_report *report = NULL;
    hp_status s = hp_trust_store_load(store, (const uint8_t *)file, strlen(file), (const uint8_t *)bytes, len,
                                      (const uint8_t *)iss, iss ? strlen(iss) : 0, flags, &report);
    CHECK(s == want);
    CHECK((s == HP_STATUS_OK) == (report != NULL));
    free(bytes);
    return report;
}

static void test_trust_store(void) {
    const int64_t JUN_2022 = 1654041600, DEC_2026 = 1796083200, JUL_2021 = 1625097600, AUG_2022 = 1659312000;
    hp_trust_store *store = NULL;
    CHECK(hp_trust_store_new(&store) == HP_STATUS_OK);

    /* The ICAO health master list: 213 CSCAs, 3 signers, 38 refused. */
    hp_load_report *report = load_dir(store, "icao-health-cscas.pem", NULL, 0, HP_STATUS_OK);
    CHECK(hp_load_report_accepted(report) == 216);
    CHECK(hp_load_report_framework(report, HP_FRAMEWORK_ICAO) == 213);
    CHECK(hp_load_report_framework(report, HP_FRAMEWORK_HCERT) == 3);
    CHECK(hp_load_report_framework(report, HP_FRAMEWORK_SHC) == 0);
    CHECK(hp_load_report_framework(report, 0) == 0 && hp_load_report_framework(report, 4) == 0);
    CHECK(hp_load_report_refused_count(report) == 38);
    size_t brainpool = 0;
    for (size_t i = 0; i < hp_load_report_refused_count(report); i++) {
        hp_str entry = {0}, reason = {0};
        CHECK(hp_load_report_refused(report, i, &entry, &reason) == HP_STATUS_OK);
        CHECK(entry.len > 0 && reason.len > 0);
        brainpool += str_has(reason, "brainpool");
    }
    CHECK(brainpool == 34);
    hp_str entry = {0};
    CHECK(hp_load_report_refused(report, 38, &entry, NULL) == HP_STATUS_NOT_AVAILABLE);
    CHECK(hp_load_report_refused(report, 0, &entry, NULL) == HP_STATUS_OK);
    CHECK(hp_load_report_refused(NULL, 0, &entry, NULL) == HP_STATUS_NULL_ARGUMENT);
    CHECK(hp_load_report_accepted(NULL) == 0 && hp_load_report_refused_count(NULL) == 0);
    hp_load_report_free(report);
    hp_load_report_free(NULL);

    /* Strict: one refusal refuses the file; an unknown flag is refused. */
    hp_trust_store *strict = NULL;
    CHECK(hp_trust_store_new(&strict) == HP_STATUS_OK);
    CHECK(load_dir(strict, "icao-health-cscas.pem", NULL, HP_LOAD_STRICT, HP_STATUS_INVALID_ARGUMENT) == NULL);
    CHECK(load_dir(strict, "trust.pem", NULL, 4, HP_STATUS_INVALID_ARGUMENT) == NULL);
    CHECK(load_dir(strict, "unknown-format.txt", NULL, 0, HP_STATUS_INVALID_ARGUMENT) == NULL);
    /* A JWK set needs its issuer (an https URL) or the any-issuer flag. */
    CHECK(load_dir(strict, "example-issuer.jwks.json", NULL, 0, HP_STATUS_INVALID_ARGUMENT) == NULL);
    report = load_dir(strict, "example-issuer.jwks.json", NULL, HP_LOAD_SHC_ANY_ISSUER, HP_STATUS_OK);
    CHECK(hp_load_report_framework(report, HP_FRAMEWORK_SHC) == 2);
    hp_load_report_free(report);
    hp_trust_store_free(strict);

    /* The signed VCI snapshot: 594 issuer keys, 2 refused; one changed
     * byte loads nothing. */
    size_t len, sig_len, crt_len;
    char *snapshot = read_file("vci_snapshot.json", &len, 0);
    char *sig = read_file("vci_snapshot.sig", &sig_len, 0);
    char *crt = read_file("vci_snapshot.crt", &crt_len, 0);
    report = NULL;
    CHECK(hp_trust_store_load_signed(store, (const uint8_t *)snapshot, len, (const uint8_t *)sig, sig_len,
                                     (const uint8_t *)crt, crt_len, DEC_2026, 0, &report) == HP_STATUS_OK);
    CHECK(hp_load_report_framework(report, HP_FRAMEWORK_SHC) == 594);
    CHECK(hp_load_report_refused_count(report) == 2);
    hp_load_report_free(report);
    snapshot[1000] ^= 1;
    report = NULL;
    CHECK(hp_trust_store_load_signed(store, (const uint8_t *)snapshot, len, (const uint8_t *)sig, sig_len,
                                     (const uint8_t *)crt, crt_len, DEC_2026, 0, &report) == HP_STATUS_INVALID_ARGUMENT);
    CHECK(report == NULL);
    free(snapshot);
    free(sig);
    free(crt);

    /* PathCheck's registry: 827 pass signers (one of them already a signer
     * in the master list file, so 826 new), 596 card keys, its 213 CSCAs
     * known from the master list, 82 refused. */
    report = load_dir(store, "registry.json", NULL, 0, HP_STATUS_OK);
    CHECK(hp_load_report_framework(report, HP_FRAMEWORK_HCERT) == 826);
    CHECK(hp_load_report_framework(report, HP_FRAMEWORK_ICAO) == 0);
    CHECK(hp_load_report_refused_count(report) == 82);
    hp_load_report_free(report);

    /* One verifier from the store: a real seal, card and pass verify; a
     * pass whose signer the registry withdrew is untrusted. */
    hp_verifier *v = NULL;
    CHECK(hp_verifier_new_from_store(store, 0, &v) == HP_STATUS_OK);
    hp_trust_store_free(store);
    CHECK(verify_file(v, "ICAOJPQR1Contents.txt", JUN_2022) == HP_STATUS_OK);
    CHECK(verify_file(v, "SHCWAVaxContents.txt", DEC_2026) == HP_STATUS_OK);
    CHECK(verify_file(v, "EUQR1Contents.txt", JUL_2021) == HP_STATUS_OK);
    hp_result *r = NULL;
    char *id = read_file("EUIndonesiaContents.txt", &len, 1);
    CHECK(hp_verify(v, (const uint8_t *)id, len, AUG_2022, &r) == HP_STATUS_OK);
    CHECK(hp_result_error_kind(r) == HP_STATUS_UNTRUSTED);
    hp_str reason = {0};
    /* The reason names the file that withdrew it, as the load named it. */
    CHECK(hp_result_reason(r, &reason) == HP_STATUS_OK &&
          str_has(reason, "withdrawn by its directory registry.json (terminated)"));
    hp_result_free(r);
    free(id);
    hp_verifier_free(v);
    CHECK(hp_trust_store_new(NULL) == HP_STATUS_NULL_ARGUMENT);
    CHECK(hp_verifier_new_from_store(NULL, 0, &v) == HP_STATUS_NULL_ARGUMENT);
    hp_trust_store_free(NULL);
}

static void *worker(void *arg) {
    struct job *j = arg;
    for (int i = 0; i < PER_THREAD; i++) {
        hp_result *r = NULL;
        if (hp_verify(j->v, (const uint8_t *)j->text, j->len, Y2030, &r) == HP_STATUS_OK && hp_result_valid(r)) {
            j->valid++;
        }
        hp_result_free(r);
    }
    return NULL;
}

static void test_threads(void) {
    hp_verifier *v = verifier_for("trust.pem", NULL);
    size_t len;
    char *text = slurp("valid.txt", &len);
    pthread_t tid[THREADS];
    struct job jobs[THREADS];
    for (int i = 0; i < THREADS; i++) {
        jobs[i] = (struct job){v, text, len, 0};
        CHECK(pthread_create(&tid[i], NULL, worker, &jobs[i]) == 0);
    }
    int total = 0;
    for (int i = 0; i < THREADS; i++) {
        CHECK(pthread_join(tid[i], NULL) == 0);
        total += jobs[i].valid;
    }
    CHECK(total == THREADS * PER_THREAD);
    printf("threads: %d verifies on %d threads sharing one verifier, %d valid\n", THREADS * PER_THREAD, THREADS, total);
    free(text);
    hp_verifier_free(v);
}

/* hp_store: a sync in a background thread while a verifier made from the
 * store keeps verifying; the trust age in the result; fail closed past the
 * allowance; a failed source reported, the previous state kept. */
static const char *sync_anchor;
static size_t sync_anchor_len;
static char sync_url[512];

static void *sync_in_background(void *arg) {
    hp_sync_report *report = NULL;
    hp_status s = hp_store_sync_trust_list((const hp_store *)arg, (const uint8_t *)sync_url, strlen(sync_url),
                                           (const uint8_t *)sync_anchor, sync_anchor_len, LIGHT_WEEK + 7200, &report);
    int ok = s == HP_STATUS_OK && hp_sync_report_ok(report);
    hp_sync_report_free(report);
    return ok ? arg : NULL;
}

/* Camera frames: luminance with stride, inverted, RGBA; the text verifies. */
static void test_qr_frames(void) {
    size_t n, m, k, t;
    char *luma = read_file("frame.y", &n, 0);
    char *inverted = read_file("frame-inverted.y", &m, 0);
    char *rgba = read_file("frame.rgba", &k, 0);
    char *text = slurp("valid.txt", &t);
    hp_qr_codes *codes = NULL;
    hp_str s;
    CHECK(hp_decode_qr_luma((const uint8_t *)luma, n, 1280, 720, 1296, &codes) == HP_STATUS_OK);
    CHECK(hp_qr_codes_count(codes) == 1);
    CHECK(hp_qr_codes_get(codes, 0, &s) == HP_STATUS_OK && str_is(s, text));
    CHECK(hp_qr_codes_get(codes, 1, &s) == HP_STATUS_NOT_AVAILABLE);
    hp_verifier *v = verifier_for("trust.pem", NULL);
    hp_result *r = NULL;
    CHECK(hp_verify(v, (const uint8_t *)s.ptr, s.len, LIGHT_WEEK, &r) == HP_STATUS_OK && hp_result_valid(r));
    hp_result_free(r);
    hp_verifier_free(v);
    hp_qr_codes_free(codes);
    codes = NULL;
    CHECK(hp_decode_qr_luma((const uint8_t *)inverted, m, 1280, 720, 1296, &codes) == HP_STATUS_OK);
    CHECK(hp_qr_codes_get(codes, 0, &s) == HP_STATUS_OK && str_is(s, text));
    hp_qr_codes_free(codes);
    codes = NULL;
    CHECK(hp_decode_qr_rgba((const uint8_t *)rgba, k, 1280, 720, 1280 * 4, &codes) == HP_STATUS_OK);
    CHECK(hp_qr_codes_get(codes, 0, &s) == HP_STATUS_OK && str_is(s, text));
    hp_qr_codes_free(codes);
    /* Sizes that do not fit the buffer, bounds, NULL, a frame with no code. */
    codes = NULL;
    CHECK(hp_decode_qr_luma((const uint8_t *)luma, n, 1280, 720, 1200, &codes) == HP_STATUS_MALFORMED);
    CHECK(hp_decode_qr_luma((const uint8_t *)luma, n, 1280, 721, 1296, &codes) == HP_STATUS_MALFORMED);
    CHECK(hp_decode_qr_luma((const uint8_t *)luma, n, 5000, 1, 5000, &codes) == HP_STATUS_MALFORMED);
    CHECK(hp_decode_qr_rgba((const uint8_t *)luma, n, 1280, 720, SIZE_MAX, &codes) == HP_STATUS_MALFORMED);
    CHECK(hp_decode_qr_luma(NULL, n, 1280, 720, 1296, &codes) == HP_STATUS_NULL_ARGUMENT);
    CHECK(hp_decode_qr_luma((const uint8_t *)luma, n, 1280, 720, 1296, NULL) == HP_STATUS_NULL_ARGUMENT);
    CHECK(hp_decode_qr_luma((const uint8_t *)luma, n, 100, 50, 1296, &codes) == HP_STATUS_MALFORMED);
    CHECK(codes == NULL);
    CHECK(hp_qr_codes_count(NULL) == 0);
    hp_qr_codes_free(NULL);
    free(luma);
    free(inverted);
    free(rgba);
    free(text);
}

/* A revocation list synced beside the trust list revokes the demo pass. */
static void test_sync_revocation(void) {
    const char *base = getenv("HP_SYNC_URL");
    CHECK(base != NULL);
    if (base == NULL) return;
    char dir[] = "/tmp/hp-c-revoked-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    size_t m, n;
    char *anchor = slurp("dsc-p384.pem", &m);
    char *text = slurp("valid.txt", &n);
    char trust_url[512], revoked_url[512];
    snprintf(trust_url, sizeof trust_url, "%s/trust-list.cose", base);
    snprintf(revoked_url, sizeof revoked_url, "%s/revoked.cose", base);
    hp_store *store = NULL;
    hp_sync_report *report = NULL;
    hp_str s;
    CHECK(hp_store_open((const uint8_t *)dir, strlen(dir), &store) == HP_STATUS_OK);
    CHECK(hp_store_sync_trust_list(store, (const uint8_t *)trust_url, strlen(trust_url), (const uint8_t *)anchor, m,
                                   LIGHT_WEEK, &report) == HP_STATUS_OK);
    CHECK(hp_sync_report_ok(report));
    hp_sync_report_free(report);
    CHECK(hp_store_sync_revocation(NULL, (const uint8_t *)revoked_url, strlen(revoked_url), (const uint8_t *)anchor,
                                   m, LIGHT_WEEK, &report) == HP_STATUS_NULL_ARGUMENT);
    CHECK(hp_store_sync_revocation(store, (const uint8_t *)revoked_url, strlen(revoked_url), (const uint8_t *)anchor,
                                   m, LIGHT_WEEK, &report) == HP_STATUS_OK);
    CHECK(hp_sync_report_ok(report));
    CHECK(hp_sync_report_source(report, &s) == HP_STATUS_OK && str_is(s, "revocation"));
    CHECK(hp_sync_report_count(report, 0) == 1);
    hp_sync_report_free(report);
    hp_verifier *v = NULL;
    hp_result *r = NULL;
    CHECK(hp_verifier_from_store(store, LIGHT_WEEK, 72 * 3600, 0, &v) == HP_STATUS_OK);
    CHECK(hp_verify(v, (const uint8_t *)text, n, LIGHT_WEEK + 60, &r) == HP_STATUS_OK);
    CHECK(!hp_result_valid(r) && hp_result_error_kind(r) == HP_STATUS_REVOKED);
    hp_result_free(r);
    hp_verifier_free(v);

    /* Re-published for a fleet: the trust and revocation lists, signed. */
    size_t kl, k2l, c2l;
    char *key = slurp("dsc-p384.key.pem", &kl);
    char *key2 = slurp("dsc-p256.key.pem", &k2l);
    char *cert2 = slurp("dsc-p256.pem", &c2l);
    char out_dir[600], file[700];
    snprintf(out_dir, sizeof out_dir, "%s/export", dir);
    CHECK(hp_store_export(store, (const uint8_t *)key, kl, (const uint8_t *)anchor, m, (const uint8_t *)out_dir,
                          strlen(out_dir), 0, LIGHT_WEEK) == HP_STATUS_INVALID_ARGUMENT);
    CHECK(hp_store_export(store, (const uint8_t *)key, kl, (const uint8_t *)anchor, m, (const uint8_t *)out_dir,
                          strlen(out_dir), 7 * 86400, LIGHT_WEEK) == HP_STATUS_OK);
    const char *written[] = {"trust-list.cbor", "trust-list.cbor.seq", "revocation.cbor", "revocation.cbor.seq"};
    for (size_t i = 0; i < sizeof written / sizeof *written; i++) {
        snprintf(file, sizeof file, "%s/%s", out_dir, written[i]);
        FILE *f = fopen(file, "rb");
        CHECK(f != NULL);
        if (f) fclose(f);
    }
    /* Another key may not overwrite it. */
    CHECK(hp_store_export(store, (const uint8_t *)key2, k2l, (const uint8_t *)cert2, c2l, (const uint8_t *)out_dir,
                          strlen(out_dir), 7 * 86400, LIGHT_WEEK) == HP_STATUS_UNTRUSTED);
    free(key);
    free(key2);
    free(cert2);
    hp_store_free(store);
    free(anchor);
    free(text);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    CHECK(system(cmd) == 0);
}

static void test_sync_store(void) {
    const char *base = getenv("HP_SYNC_URL");
    CHECK(base != NULL);
    if (base == NULL) return;
    char dir[] = "/tmp/hp-c-store-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    size_t m;
    char *anchor = slurp("dsc-p384.pem", &m);
    sync_anchor = anchor;
    sync_anchor_len = m;
    snprintf(sync_url, sizeof sync_url, "%s/trust-list.cose", base);

    hp_store *store = NULL;
    CHECK(hp_store_open(NULL, 0, &store) == HP_STATUS_NULL_ARGUMENT);
    CHECK(hp_store_open((const uint8_t *)dir, strlen(dir), &store) == HP_STATUS_OK);
    hp_verifier *v = NULL;
    CHECK(hp_verifier_from_store(store, LIGHT_WEEK, 72 * 3600, 0, &v) == HP_STATUS_NOT_AVAILABLE);

    hp_sync_report *report = NULL;
    hp_str s;
    CHECK(hp_store_sync_trust_list(store, (const uint8_t *)sync_url, strlen(sync_url), (const uint8_t *)anchor, m,
                                   LIGHT_WEEK, &report) == HP_STATUS_OK);
    CHECK(hp_sync_report_ok(report));
    CHECK(hp_sync_report_count(report, 0) == 1 && hp_sync_report_count(report, 1) == 0);
    CHECK(hp_sync_report_count(report, 7) == 0);
    CHECK(hp_sync_report_source(report, &s) == HP_STATUS_OK && str_is(s, "trust-list"));
    CHECK(hp_sync_report_error(report, &s) == HP_STATUS_NOT_AVAILABLE);
    hp_sync_report_free(report);

    CHECK(hp_verifier_from_store(store, LIGHT_WEEK, 72 * 3600, 0, &v) == HP_STATUS_OK);
    size_t n;
    char *text = slurp("valid.txt", &n);
    hp_result *r = NULL;
    int64_t as_of = 0;
    CHECK(hp_verify(v, (const uint8_t *)text, n, LIGHT_WEEK + 3600, &r) == HP_STATUS_OK);
    CHECK(hp_result_valid(r));
    CHECK(hp_result_trust_as_of(r, &as_of) == HP_STATUS_OK && as_of == LIGHT_WEEK);
    hp_result_free(r);
    CHECK(hp_verify(v, (const uint8_t *)text, n, LIGHT_WEEK + 73 * 3600, &r) == HP_STATUS_OK);
    CHECK(hp_result_error_kind(r) == HP_STATUS_UNTRUSTED);
    CHECK(hp_result_reason(r, &s) == HP_STATUS_OK && str_has(s, "trust data outdated since"));
    hp_result_free(r);
    /* An explicit policy accepts it, and says since when. */
    hp_verifier *stale = NULL;
    int64_t since = 0;
    CHECK(hp_verifier_accept_outdated_trust(v, true, &stale) == HP_STATUS_OK);
    CHECK(hp_verify(stale, (const uint8_t *)text, n, LIGHT_WEEK + 73 * 3600, &r) == HP_STATUS_OK);
    CHECK(hp_result_valid(r));
    CHECK(hp_result_trust_outdated_since(r, &since) == HP_STATUS_OK && since == LIGHT_WEEK + 72 * 3600);
    hp_result_free(r);
    CHECK(hp_verify(stale, (const uint8_t *)text, n, LIGHT_WEEK + 3600, &r) == HP_STATUS_OK);
    CHECK(hp_result_trust_outdated_since(r, &since) == HP_STATUS_NOT_AVAILABLE);
    hp_result_free(r);
    hp_verifier_free(stale);

    /* A source that fails: reported, the store as it was. */
    char missing[600];
    snprintf(missing, sizeof missing, "%s/missing.cose", base);
    CHECK(hp_store_sync_trust_list(store, (const uint8_t *)missing, strlen(missing), (const uint8_t *)anchor, m,
                                   LIGHT_WEEK + 3600, &report) == HP_STATUS_OK);
    CHECK(!hp_sync_report_ok(report));
    CHECK(hp_sync_report_error(report, &s) == HP_STATUS_OK && str_has(s, "status 404"));
    hp_sync_report_free(report);

    /* A sync on another thread while this one verifies with the verifier
     * made before it; a verifier made after it has the newer age. */
    pthread_t t;
    CHECK(pthread_create(&t, NULL, sync_in_background, store) == 0);
    int valid = 0;
    for (int i = 0; i < 20; i++) {
        CHECK(hp_verify(v, (const uint8_t *)text, n, LIGHT_WEEK + 3600, &r) == HP_STATUS_OK);
        valid += hp_result_valid(r);
        hp_result_free(r);
    }
    CHECK(valid == 20);
    void *joined = NULL;
    CHECK(pthread_join(t, &joined) == 0 && joined == store);
    hp_verifier_free(v);
    CHECK(hp_verifier_from_store(store, LIGHT_WEEK + 7200, 72 * 3600, 0, &v) == HP_STATUS_OK);
    CHECK(hp_verify(v, (const uint8_t *)text, n, LIGHT_WEEK + 7200, &r) == HP_STATUS_OK);
    CHECK(hp_result_trust_as_of(r, &as_of) == HP_STATUS_OK && as_of == LIGHT_WEEK + 7200);
    hp_result_free(r);
    hp_verifier_free(v);
    hp_store_free(store);
    hp_store_free(NULL);
    free(text);
    free(anchor);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    CHECK(system(cmd) == 0);
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s DATA_DIR\n", argv[0]);
        return 2;
    }
    data_dir = argv[1];
    if (getenv("HP_UNDER_VALGRIND")) PER_THREAD = 50;
    test_valid_pass();
    test_invalid_passes();
    test_light_and_exemption();
    test_corpus();
    test_revocation();
    test_revoked_light_pass();
    test_null_arguments_and_errors();
    test_rules();
    test_family();
    test_chains();
    test_signed_trust_list();
    test_signed_rules();
    test_gdhcn();
    test_other_formats();
    test_trust_store();
    test_threads();
    test_sync_store();
    test_sync_revocation();
    test_qr_frames();
    printf("%d checks, %d failed\n", checks, failures);
    return failures ? 1 : 0;
}
