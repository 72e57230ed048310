package headroom.pipelines.report;

/** Escaping for XML and HTML text and attribute values. */
final class Xml {

    private Xml() {
    }

    /** Escapes markup characters and replaces the control characters XML 1.0 forbids. */
    static String escape(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> {
                    // control characters other than tab/newline are not allowed in XML 1.0
                    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') sb.append('?');
                    else sb.append(c);
                }
            }
        }
        return sb.toString();
    }
}
