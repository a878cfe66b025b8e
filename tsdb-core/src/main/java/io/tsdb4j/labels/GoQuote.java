package io.tsdb4j.labels;

/** Go's {@code strconv.Quote} for the strings Prometheus prints: label values in {@code Labels.String()}. */
public final class GoQuote {
    private GoQuote() {}

    public static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2);
        quoteTo(sb, s);
        return sb.toString();
    }

    public static void quoteTo(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            switch (cp) {
                case '\u0007': sb.append("\\a"); break;
                case '\b': sb.append("\\b"); break;
                case '\f': sb.append("\\f"); break;
                case '\n': sb.append("\\n"); break;
                case '\r': sb.append("\\r"); break;
                case '\t': sb.append("\\t"); break;
                case '\u000B': sb.append("\\v"); break;
                case '\\': sb.append("\\\\"); break;
                case '"': sb.append("\\\""); break;
                default:
                    if (Character.isSurrogate((char) cp)) {
                        sb.append("\\ufffd"); // lone surrogate: Go would see invalid UTF-8
                    } else if (isPrint(cp)) {
                        sb.appendCodePoint(cp);
                    } else if (cp < 0x80) {
                        sb.append(String.format("\\x%02x", cp));
                    } else if (cp < 0x10000) {
                        sb.append(String.format("\\u%04x", cp));
                    } else {
                        sb.append(String.format("\\U%08x", cp));
                    }
            }
        }
        sb.append('"');
    }

    /** Approximates Go's {@code strconv.IsPrint}: letters, marks, numbers, punctuation, symbols and ASCII space. */
    private static boolean isPrint(int cp) {
        if (cp < 0x80) return cp >= 0x20 && cp < 0x7F;
        switch (Character.getType(cp)) {
            case Character.UNASSIGNED:
            case Character.CONTROL:
            case Character.FORMAT:
            case Character.PRIVATE_USE:
            case Character.SURROGATE:
            case Character.LINE_SEPARATOR:
            case Character.PARAGRAPH_SEPARATOR:
            case Character.SPACE_SEPARATOR:
                return false;
            default:
                return true;
        }
    }
}
