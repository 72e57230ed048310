package headroom.pipelines.notebooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A Zeppelin 0.12 note (.zpln) as the test reads it: its paragraphs' interpreter and code. */
record ZeppelinNote(String id, String name, String version, List<Paragraph> paragraphs) {

    record Paragraph(String id, String title, String interpreter, String code, String status, boolean hasResults) {
    }

    static ZeppelinNote read(Path file) throws IOException {
        JsonNode n = new ObjectMapper().readTree(file.toFile());
        List<Paragraph> ps = new ArrayList<>();
        for (JsonNode p : n.get("paragraphs")) {
            String text = p.get("text").asText();
            int nl = text.indexOf('\n');
            String first = nl < 0 ? text : text.substring(0, nl);
            String interpreter = first.startsWith("%") ? first.trim() : "%spark";
            String code = first.startsWith("%") ? (nl < 0 ? "" : text.substring(nl + 1)) : text;
            ps.add(new Paragraph(p.path("id").asText(), p.path("title").asText(), interpreter, code, p.path("status").asText(), p.has("results")));
        }
        return new ZeppelinNote(n.path("id").asText(), n.get("name").asText(), n.path("version").asText(), ps);
    }
}
