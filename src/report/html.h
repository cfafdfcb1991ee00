/* The HTML report's shell: escaping, the page head with its style sheet, the foot (with the
 * script that lets a headless browser confirm the charts were laid out). Sections write their
 * own <section> elements. */
#ifndef LADDER_REPORT_HTML_H
#define LADDER_REPORT_HTML_H

#include <stdio.h>

#include "json/json.h"

void html_escape(FILE *f, const char *s);
/* <!DOCTYPE html> ... <body><h1> and the machine line of the results document root. */
void html_page_begin(const json_value *root, FILE *f);
void html_page_end(FILE *f);

#endif
