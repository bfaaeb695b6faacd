package dev.jcnn.samples.plot;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/** A small self-contained HTML page: a title, a table of figures and the run's PNG pictures. */
public final class HtmlReport {

    private HtmlReport() {
    }

    /**
     * @param figures label → value, shown as a table in this order
     * @param images  PNG file name (beside the page) → caption
     */
    public static Path write(Path file, String title, Map<String, String> figures, Map<String, String> images)
            throws IOException {
        StringBuilder b = new StringBuilder();
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(esc(title))
                .append("</title>\n<style>body{font-family:sans-serif;margin:2em;max-width:1400px}"
                        + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 10px;text-align:left}"
                        + "figure{display:inline-block;margin:1em}</style></head><body>\n");
        b.append("<h1>").append(esc(title)).append("</h1>\n<table>\n");
        for (Map.Entry<String, String> e : figures.entrySet()) {
            b.append("<tr><th>").append(esc(e.getKey())).append("</th><td>").append(esc(e.getValue())).append("</td></tr>\n");
        }
        b.append("</table>\n");
        for (Map.Entry<String, String> e : images.entrySet()) {
            b.append("<figure><img src=\"").append(esc(e.getKey())).append("\" alt=\"").append(esc(e.getValue()))
                    .append("\"><figcaption>").append(esc(e.getValue())).append("</figcaption></figure>\n");
        }
        b.append("</body></html>\n");
        dev.jcnn.io.TensorFile.writeAtomically(file, b.toString().getBytes(StandardCharsets.UTF_8));
        return file;
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
