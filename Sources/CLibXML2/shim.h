// libxml2 for Assay's XML reports: the text writer and the schema validator.
//
// Debian builds libxml2 with ICU; its headers would pull in the system's ICU, which clashes
// with the ICU that Foundation carries. Include xmlversion.h first and switch ICU off.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/xmlwriter.h>
#include <libxml/xmlschemas.h>
