/*
 * scanner: verifies pass texts read line by line on standard input and
 * prints one line per pass:
 *
 *   valid <given name> <family name>, born <date of birth>
 *   invalid <error class>
 *
 * Usage: scanner TRUST_FILE [UNIX_TIME]
 *   TRUST_FILE  signer certificates: DER, PEM (one or many) or base64 of DER
 *   UNIX_TIME   time of verification in seconds since 1970 (default: now)
 * Exit status: 0 when every line was processed, 2 on a usage or setup error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "healthpass.h"

static void print_field(hp_status (*get)(const hp_result *, const uint8_t **, size_t *),
                        const hp_result *r, const char *before) {
    const uint8_t *s = NULL;
    size_t n = 0;
    if (get(r, &s, &n) == HP_STATUS_OK && n > 0) {
        printf("%s%.*s", before, (int)n, (const char *)s);
    }
}

int main(int argc, char **argv) {
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: %s TRUST_FILE [UNIX_TIME]\n", argv[0]);
        return 2;
    }
    FILE *f = fopen(argv[1], "rb");
    if (!f) {
        fprintf(stderr, "scanner: cannot open %s\n", argv[1]);
        return 2;
    }
    static uint8_t trust[1 << 20];
    size_t trust_len = fread(trust, 1, sizeof trust, f);
    fclose(f);
    int64_t now = argc == 3 ? strtoll(argv[2], NULL, 10) : (int64_t)time(NULL);

    hp_trust_list *list = NULL;
    hp_verifier *v = NULL;
    hp_status s = hp_trust_list_new(&list);
    if (s == HP_STATUS_OK) s = hp_trust_list_add(list, trust, trust_len);
    if (s == HP_STATUS_OK) s = hp_verifier_new(list, NULL, 0, &v);
    hp_trust_list_free(list);
    if (s != HP_STATUS_OK) {
        fprintf(stderr, "scanner: trust file %s: %s\n", argv[1], hp_status_name(s));
        return 2;
    }

    static char line[16384];
    while (fgets(line, sizeof line, stdin)) {
        size_t len = strcspn(line, "\r\n");
        if (len == 0) continue;
        hp_result *r = NULL;
        if (hp_verify(v, (const uint8_t *)line, len, now, &r) != HP_STATUS_OK) {
            printf("invalid internal\n");
            continue;
        }
        if (hp_result_valid(r)) {
            printf("valid");
            print_field(hp_result_given_name, r, " ");
            print_field(hp_result_family_name, r, " ");
            print_field(hp_result_date_of_birth, r, ", born ");
            printf("\n");
        } else {
            printf("invalid %s\n", hp_status_name(hp_result_error(r)));
        }
        hp_result_free(r);
        fflush(stdout);
    }
    hp_verifier_free(v);
    return 0;
}
