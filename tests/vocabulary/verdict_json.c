/*
 * Prints the verdict on each pass file given, as one JSON object per line,
 * built only from the C accessors, in the README's vocabulary: the
 * vocabulary check (tests/vocabulary/check.py) compares it with the command
 * line's JSON and the JS object on the same passes.
 *
 * Usage: verdict_json [--preset NAME] TRUST_FILE UNIX_TIME PASS_FILE...
 * With --preset, the verifier applies that built-in rule set and each line
 * carries "admission".
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "healthpass.h"

static char *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) { fprintf(stderr, "cannot open %s\n", path); exit(2); }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) { fprintf(stderr, "cannot read %s\n", path); exit(2); }
    fclose(f);
    buf[n] = 0;
    *len = (size_t)n;
    return buf;
}

/* A JSON string (the accessors give UTF-8; controls are escaped). */
static void json_string(const uint8_t *s, size_t n) {
    putchar('"');
    for (size_t i = 0; i < n; i++) {
        unsigned char c = s[i];
        if (c == '"' || c == '\\') printf("\\%c", c);
        else if (c < 0x20) printf("\\u%04x", c);
        else putchar(c);
    }
    putchar('"');
}

typedef hp_status (*field_fn)(const hp_result *, hp_str *);

static void field(const char *key, field_fn get, const hp_result *r, int comma) {
    hp_str s = {0};
    printf("\"%s\":", key);
    if (get(r, &s) == HP_STATUS_OK) json_string(s.ptr, s.len); else printf("null");
    if (comma) putchar(',');
}

/* "admission": {"admitted", "failed_rules", "mode_result"}, from the accessors. */
static void admission(const hp_result *r) {
    hp_admission a = hp_result_admission(r);
    if (a == HP_ADMISSION_NO_RULES) return;
    printf(",\"admission\":{\"admitted\":%s,\"failed_rules\":[", a == HP_ADMISSION_ADMITTED ? "true" : "false");
    size_t count = hp_result_failed_rule_count(r);
    for (size_t i = 0; i < count; i++) {
        hp_str id = {0};
        if (hp_result_failed_rule(r, i, &id, NULL) != HP_STATUS_OK) { fprintf(stderr, "failed rule %zu\n", i); exit(2); }
        if (i) putchar(',');
        json_string(id.ptr, id.len);
    }
    printf("],\"mode_result\":");
    hp_str mode = {0};
    if (hp_result_mode_result(r, &mode) == HP_STATUS_OK) json_string(mode.ptr, mode.len); else printf("null");
    putchar('}');
}

int main(int argc, char **argv) {
    hp_rules *rules = NULL;
    if (argc > 2 && strcmp(argv[1], "--preset") == 0) {
        if (hp_rules_preset((const uint8_t *)argv[2], strlen(argv[2]), &rules) != HP_STATUS_OK) {
            fprintf(stderr, "no preset %s\n", argv[2]);
            return 2;
        }
        argv += 2;
        argc -= 2;
    }
    if (argc < 4) { fprintf(stderr, "usage: %s [--preset NAME] TRUST_FILE UNIX_TIME PASS_FILE...\n", argv[0]); return 2; }
    size_t tlen;
    char *trust = read_file(argv[1], &tlen);
    int64_t now = strtoll(argv[2], NULL, 10);
    hp_trust_list *list = NULL;
    hp_verifier *v = NULL;
    if (hp_trust_list_new(&list) != HP_STATUS_OK || hp_trust_list_add(list, (const uint8_t *)trust, tlen) != HP_STATUS_OK
        || hp_verifier_new_with_rules(list, NULL, rules, NULL, 0, &v) != HP_STATUS_OK) {
        fprintf(stderr, "setup failed\n");
        return 2;
    }
    hp_trust_list_free(list);
    hp_rules_free(rules);
    free(trust);
    for (int i = 3; i < argc; i++) {
        size_t len;
        char *text = read_file(argv[i], &len);
        hp_result *r = NULL;
        if (hp_verify(v, (const uint8_t *)text, len, now, &r) != HP_STATUS_OK) { fprintf(stderr, "verify failed\n"); return 2; }
        int valid = hp_result_valid(r);
        printf("{\"valid\":%s,", valid ? "true" : "false");
        printf("\"error_kind\":");
        if (valid) printf("null,"); else printf("\"%s\",", (const char *)hp_status_name(hp_result_error_kind(r)).ptr);
        printf("\"reason\":");
        if (valid) {
            printf("null,");
        } else {
            hp_str reason = {0};
            hp_result_reason(r, &reason);
            json_string(reason.ptr, reason.len);
            putchar(',');
        }
        printf("\"holder\":");
        if (valid) {
            putchar('{');
            field("name", hp_result_name, r, 1);
            field("family_name", hp_result_family_name, r, 1);
            field("family_name_std", hp_result_family_name_std, r, 1);
            field("given_name", hp_result_given_name, r, 1);
            field("given_name_std", hp_result_given_name_std, r, 1);
            field("date_of_birth", hp_result_date_of_birth, r, 0);
            printf("},");
        } else {
            printf("null,");
        }
        int64_t until = 0;
        printf("\"valid_until\":");
        if (hp_result_valid_until(r, &until) == HP_STATUS_OK) {
            time_t t = (time_t)until;
            struct tm tm;
            gmtime_r(&t, &tm);
            char buf[32];
            strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
            printf("\"%s\",", buf);
        } else {
            printf("null,");
        }
        const char *form = NULL;
        switch (hp_result_form(r)) {
            case HP_FORM_FULL: form = "full"; break;
            case HP_FORM_LIGHT: form = "light"; break;
            case HP_FORM_EXEMPTION: form = "exemption"; break;
            case HP_FORM_DDCC_VACCINATION: form = "ddcc-vaccination"; break;
            case HP_FORM_DDCC_TEST: form = "ddcc-test"; break;
            case HP_FORM_DVC: form = "dvc"; break;
            case HP_FORM_SHC: form = "shc"; break;
            case HP_FORM_ICAO_VACCINATION: form = "icao-vacc"; break;
            case HP_FORM_ICAO_TEST: form = "icao-test"; break;
            default: form = NULL;
        }
        if (form) printf("\"form\":\"%s\"", form); else printf("\"form\":null");
        hp_str iss = {0};
        if (hp_result_issuer(r, &iss) == HP_STATUS_OK) {
            printf(",\"issuer\":");
            json_string(iss.ptr, iss.len);
        }
        admission(r);
        printf("}\n");
        hp_result_free(r);
        free(text);
    }
    hp_verifier_free(v);
    return 0;
}
