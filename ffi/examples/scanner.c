/*
 * scanner: verifies pass texts read line by line on standard input and
 * prints exactly one line per input line:
 *
 *   valid <name>, born <date of birth>
 *   invalid <error class>
 *
 * Usage: scanner TRUST_FILE [UNIX_TIME]
 *   TRUST_FILE  signer certificates: DER, PEM (one or many) or base64 of DER,
 *               of any size
 *   UNIX_TIME   time of verification in seconds since 1970 (default: now)
 * Exit status: 0 when every line was processed, 2 on a usage or setup error.
 *
 * What vendors copy from here:
 * - A line is read whole, however long (getline): a long line is one
 *   verdict, never several, so later verdicts stay with their passes.
 * - The trust file is read whole, whatever its size, or refused clearly.
 * - Names come from the pass: control characters, bidi overrides and line
 *   separators are printed escaped, never raw, so that a name cannot forge
 *   a line or move the cursor.
 */
#define _POSIX_C_SOURCE 200809L /* getline */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "healthpass.h"

/* Reads a whole file into a malloc'd buffer; NULL on error. */
static uint8_t *read_all(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 1 << 16, n = 0;
    uint8_t *buf = malloc(cap);
    while (buf) {
        n += fread(buf + n, 1, cap - n, f);
        if (n < cap) break;
        if (cap > ((size_t)1 << 30)) { /* a trust file of over 1 GiB is refused */
            free(buf);
            buf = NULL;
            break;
        }
        uint8_t *bigger = realloc(buf, cap * 2);
        if (!bigger) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = bigger;
        cap *= 2;
    }
    if (buf && ferror(f)) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    *len = n;
    return buf;
}

/* Length of the UTF-8 sequence at s (1 for a stray byte). */
static size_t utf8_len(const uint8_t *s, size_t n) {
    size_t want = s[0] < 0x80 ? 1 : (s[0] >> 5) == 6 ? 2 : (s[0] >> 4) == 14 ? 3 : (s[0] >> 3) == 30 ? 4 : 1;
    return want <= n ? want : 1;
}

/* Prints text from a pass with every unsafe character escaped as \u{...}:
 * C0 controls, DEL, C1 controls (U+0080-U+009F), the bidi marks, embeddings,
 * overrides and isolates (U+061C, U+200E-F, U+202A-E, U+2066-9), the line
 * and paragraph separators (U+2028-9) and U+FEFF; a backslash as \\. */
static void print_safe(const uint8_t *s, size_t n) {
    for (size_t i = 0; i < n;) {
        size_t k = utf8_len(s + i, n - i);
        unsigned cp = s[i];
        if (k == 2) cp = ((s[i] & 0x1Fu) << 6) | (s[i + 1] & 0x3Fu);
        if (k == 3) cp = ((s[i] & 0x0Fu) << 12) | ((s[i + 1] & 0x3Fu) << 6) | (s[i + 2] & 0x3Fu);
        int unsafe_cp = (k == 1 && (cp < 0x20 || cp == 0x7F)) || (k == 2 && (cp >= 0x80 && cp <= 0x9F)) ||
                        cp == 0x061C || cp == 0x200E || cp == 0x200F || (cp >= 0x2028 && cp <= 0x202E) ||
                        (cp >= 0x2066 && cp <= 0x2069) || cp == 0xFEFF;
        if (k == 1 && cp == '\\') {
            fputs("\\\\", stdout);
        } else if (unsafe_cp) {
            printf("\\u{%04x}", cp);
        } else {
            fwrite(s + i, 1, k, stdout);
        }
        i += k;
    }
}

int main(int argc, char **argv) {
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: %s TRUST_FILE [UNIX_TIME]\n", argv[0]);
        return 2;
    }
    size_t trust_len = 0;
    uint8_t *trust = read_all(argv[1], &trust_len);
    if (!trust) {
        fprintf(stderr, "scanner: cannot read %s\n", argv[1]);
        return 2;
    }
    int64_t now = argc == 3 ? strtoll(argv[2], NULL, 10) : (int64_t)time(NULL);

    hp_trust_list *list = NULL;
    hp_verifier *v = NULL;
    hp_status s = hp_trust_list_new(&list);
    if (s == HP_STATUS_OK) s = hp_trust_list_add(list, trust, trust_len);
    if (s == HP_STATUS_OK) s = hp_verifier_new(list, NULL, 0, &v);
    hp_trust_list_free(list);
    free(trust);
    if (s != HP_STATUS_OK) {
        hp_str why = hp_status_name(s);
        fprintf(stderr, "scanner: trust file %s: %.*s\n", argv[1], (int)why.len, (const char *)why.ptr);
        return 2;
    }

    char *line = NULL;
    size_t cap = 0;
    ssize_t got;
    while ((got = getline(&line, &cap, stdin)) != -1) {
        size_t len = (size_t)got;
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r')) len--;
        if (len == 0) continue;
        hp_result *r = NULL;
        if (hp_verify(v, (const uint8_t *)line, len, now, &r) != HP_STATUS_OK) {
            printf("invalid internal\n");
            continue;
        }
        if (hp_result_valid(r)) {
            hp_str text = {0};
            printf("valid ");
            if (hp_result_name(r, &text) == HP_STATUS_OK) print_safe(text.ptr, text.len);
            printf(", born ");
            if (hp_result_date_of_birth(r, &text) == HP_STATUS_OK) print_safe(text.ptr, text.len);
            printf("\n");
        } else {
            hp_str kind = hp_status_name(hp_result_error_kind(r));
            printf("invalid %.*s\n", (int)kind.len, (const char *)kind.ptr);
        }
        hp_result_free(r);
        fflush(stdout);
    }
    free(line);
    hp_verifier_free(v);
    return 0;
}
