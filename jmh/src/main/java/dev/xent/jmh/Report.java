package dev.xent.jmh;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;

/**
 * Turns JMH JSON results of these benchmarks into a comparison table (Markdown, printed and optionally
 * written) and a chart (PNG: elements/ns against C on log axes, one line per variant, one panel per loss).
 *
 * <pre>java -cp benchmarks.jar dev.xent.jmh.Report [--md table.md] [--png chart.png] [--expect N] results.json...</pre>
 *
 * {@code --expect N} makes it exit with status 1 unless at least N results are present (for the smoke run).
 */
public final class Report {

    static final String[] LOSSES = {"Softmax", "SparseSoftmax", "Sigmoid", "Binary", "Categorical"};
    static final String[] VARIANTS = {"vector", "scalar", "naiveVector", "naiveScalar", "floor", "tf"};
    static final Map<String, String> TF_METHODS = Map.of("softmax", "Softmax", "sparseSoftmax", "SparseSoftmax",
            "sigmoid", "Sigmoid");

    /** One result: ns per call, and bytes allocated per call when -prof gc was on (else NaN). */
    record Result(double ns, double nsError, double bytes) {
    }

    /** key: size|layout -> loss -> classes -> variant -> result. */
    final Map<String, Map<String, TreeMap<Integer, Map<String, Result>>>> data = new LinkedHashMap<>();
    final Map<String, TreeMap<Integer, Result>> floor = new LinkedHashMap<>();
    String jdk = "?";
    String vm = "?";
    int count;

    public static void main(String[] args) throws IOException {
        Path md = null;
        Path png = null;
        int expect = 0;
        List<Path> inputs = new ArrayList<>();
        for (int k = 0; k < args.length; k++) {
            switch (args[k]) {
                case "--md":
                    md = Path.of(args[++k]);
                    break;
                case "--png":
                    png = Path.of(args[++k]);
                    break;
                case "--expect":
                    expect = Integer.parseInt(args[++k]);
                    break;
                default:
                    inputs.add(Path.of(args[k]));
            }
        }
        if (inputs.isEmpty()) {
            System.err.println("usage: Report [--md table.md] [--png chart.png] [--expect N] results.json...");
            System.exit(2);
        }
        Report r = new Report();
        for (Path p : inputs) {
            r.read(p);
        }
        String table = r.markdown();
        System.out.print(table);
        if (md != null) {
            Files.writeString(md, table);
        }
        if (png != null && r.count > 0) {
            r.chart(png);
            System.out.println("chart: " + png);
        }
        if (r.count < expect) {
            System.err.println("expected at least " + expect + " results, found " + r.count);
            System.exit(1);
        }
    }

    void read(Path p) throws IOException {
        JsonArray runs;
        try (Reader in = Files.newBufferedReader(p)) {
            JsonElement e = JsonParser.parseReader(in);
            if (!e.isJsonArray()) {
                return;
            }
            runs = e.getAsJsonArray();
        }
        for (JsonElement e : runs) {
            JsonObject run = e.getAsJsonObject();
            String bench = run.get("benchmark").getAsString();
            String[] parts = bench.split("\\.");
            String cls = parts[parts.length - 2];
            String method = parts[parts.length - 1];
            JsonObject params = run.getAsJsonObject("params");
            int classes = Integer.parseInt(params.get("classes").getAsString());
            String size = params.get("size").getAsString();
            String layout = params.get("layout").getAsString();
            JsonObject pm = run.getAsJsonObject("primaryMetric");
            double ns = pm.get("score").getAsDouble();
            double err = pm.get("scoreError").isJsonPrimitive() && pm.get("scoreError").getAsJsonPrimitive().isNumber()
                    ? pm.get("scoreError").getAsDouble() : Double.NaN;
            double bytes = Double.NaN;
            JsonObject sec = run.getAsJsonObject("secondaryMetrics");
            for (String k : new String[] {"gc.alloc.rate.norm", "·gc.alloc.rate.norm", "\u00b7gc.alloc.rate.norm"}) {
                if (sec != null && sec.has(k)) {
                    bytes = sec.getAsJsonObject(k).get("score").getAsDouble();
                }
            }
            jdk = run.get("jdkVersion").getAsString();
            vm = run.get("vmName").getAsString() + " " + run.get("vmVersion").getAsString();
            Result res = new Result(ns, err, bytes);
            String key = size + "|" + layout;
            String loss;
            String variant;
            if (cls.equals("Floor")) {
                if (!method.equals("expSum")) {
                    continue; // the chart's floor is the EXP floor; targets.py reports the others
                }
                floor.computeIfAbsent(key, k -> new TreeMap<>()).put(classes, res);
                count++;
                continue;
            } else if (cls.equals("TensorFlow")) {
                loss = TF_METHODS.get(method);
                variant = "tf";
            } else {
                loss = cls;
                variant = method;
            }
            if (loss == null) {
                continue;
            }
            data.computeIfAbsent(key, k -> new LinkedHashMap<>())
                    .computeIfAbsent(loss, k -> new TreeMap<>())
                    .computeIfAbsent(classes, k -> new LinkedHashMap<>())
                    .put(variant, res);
            count++;
        }
    }

    static double elements(String key, int classes) {
        String[] sl = key.split("\\|");
        return Shapes.elements(sl[1], classes, sl[0]);
    }

    Result get(String key, String loss, int c, String variant) {
        if (variant.equals("floor")) {
            TreeMap<Integer, Result> f = floor.get(key);
            return f == null ? null : f.get(c);
        }
        Map<String, TreeMap<Integer, Map<String, Result>>> byLoss = data.get(key);
        if (byLoss == null || !byLoss.containsKey(loss) || !byLoss.get(loss).containsKey(c)) {
            return null;
        }
        return byLoss.get(loss).get(c).get(variant);
    }

    static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "–";
        }
        if (v >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (v >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }

    static String ratio(Result a, Result b) {
        return a == null || b == null ? "–" : fmt(a.ns / b.ns);
    }

    String markdown() {
        StringBuilder sb = new StringBuilder();
        sb.append("JDK ").append(jdk).append(" (").append(vm).append("), ").append(count).append(" results\n");
        boolean tf = false;
        boolean gc = false;
        for (var byLoss : data.values()) {
            for (var byC : byLoss.values()) {
                for (var byV : byC.values()) {
                    tf |= byV.containsKey("tf");
                    for (Result r : byV.values()) {
                        gc |= !Double.isNaN(r.bytes);
                    }
                }
            }
        }
        TreeSet<String> keys = new TreeSet<>(data.keySet());
        keys.addAll(floor.keySet());
        for (String key : keys) {
            String[] sl = key.split("\\|");
            sb.append("\n### ").append(sl[0]).append(" elements, ")
                    .append(sl[1].equals("last") ? "class axis last [N, C]" : "channels first [1, C, H·W]").append('\n');
            sb.append("\nThroughput in elements (logits) per ns; ratios are of times per call"
                    + " (vector× = scalar time / vector time; stable/naive = stable time / naive time, vector and scalar;"
                    + " /floor = vector time / floor time").append(tf ? "; TF/vec = TensorFlow time / vector time" : "")
                    .append(").\n\n");
            sb.append("| loss | C | vector | scalar | naive vec | naive sc | floor |").append(tf ? " TF |" : "")
                    .append(" vector× | stable/naive vec | stable/naive sc | /floor |").append(tf ? " TF/vec |" : "")
                    .append(" vector µs/call |\n");
            sb.append("|---|---:|---:|---:|---:|---:|---:|").append(tf ? "---:|" : "")
                    .append("---:|---:|---:|---:|").append(tf ? "---:|" : "").append("---:|\n");
            Map<String, TreeMap<Integer, Map<String, Result>>> byLoss = data.getOrDefault(key, Map.of());
            for (String loss : LOSSES) {
                if (!byLoss.containsKey(loss)) {
                    continue;
                }
                for (int c : byLoss.get(loss).keySet()) {
                    double el = elements(key, c);
                    sb.append("| ").append(loss).append(" | ").append(c).append(" |");
                    for (String v : VARIANTS) {
                        if (v.equals("tf") && !tf) {
                            continue;
                        }
                        Result r = get(key, loss, c, v);
                        sb.append(' ').append(r == null ? "–" : fmt(el / r.ns)).append(" |");
                    }
                    Result vec = get(key, loss, c, "vector");
                    sb.append(' ').append(ratio(get(key, loss, c, "scalar"), vec)).append(" |");
                    sb.append(' ').append(ratio(vec, get(key, loss, c, "naiveVector"))).append(" |");
                    sb.append(' ').append(ratio(get(key, loss, c, "scalar"), get(key, loss, c, "naiveScalar"))).append(" |");
                    sb.append(' ').append(ratio(vec, get(key, loss, c, "floor"))).append(" |");
                    if (tf) {
                        sb.append(' ').append(ratio(get(key, loss, c, "tf"), vec)).append(" |");
                    }
                    sb.append(' ').append(vec == null ? "–" : fmt(vec.ns / 1000)).append(" |\n");
                }
            }
            if (floor.containsKey(key) && byLoss.isEmpty()) {
                for (var f : floor.get(key).entrySet()) {
                    sb.append("| floor only | ").append(f.getKey()).append(" | | | | | ")
                            .append(fmt(elements(key, f.getKey()) / f.getValue().ns)).append(" |\n");
                }
            }
            if (gc) {
                sb.append("\nAllocation per call (B/op, JMH -prof gc, gc.alloc.rate.norm):\n\n");
                sb.append("| loss | C | vector | scalar | naive vec | naive sc |").append(tf ? " TF |" : "").append('\n');
                sb.append("|---|---:|---:|---:|---:|---:|").append(tf ? "---:|" : "").append('\n');
                for (String loss : LOSSES) {
                    if (!byLoss.containsKey(loss)) {
                        continue;
                    }
                    for (int c : byLoss.get(loss).keySet()) {
                        sb.append("| ").append(loss).append(" | ").append(c).append(" |");
                        for (String v : new String[] {"vector", "scalar", "naiveVector", "naiveScalar", "tf"}) {
                            if (v.equals("tf") && !tf) {
                                continue;
                            }
                            Result r = get(key, loss, c, v);
                            sb.append(' ').append(r == null || Double.isNaN(r.bytes) ? "–"
                                    : String.format(Locale.ROOT, "%.3g", r.bytes)).append(" |");
                        }
                        sb.append('\n');
                    }
                }
            }
        }
        return sb.toString();
    }

    void chart(Path png) throws IOException {
        List<XYChart> charts = new ArrayList<>();
        // one panel per loss and (size, layout) that has at least two class counts
        TreeSet<String> keys = new TreeSet<>(data.keySet());
        for (String key : keys) {
            var byLoss = data.get(key);
            for (String loss : LOSSES) {
                if (!byLoss.containsKey(loss) || byLoss.get(loss).size() < 2) {
                    continue;
                }
                String[] sl = key.split("\\|");
                XYChart ch = new XYChartBuilder().width(640).height(420)
                        .title(loss + " (" + sl[0] + ", class axis " + sl[1] + ", JDK " + jdk + ")")
                        .xAxisTitle("classes C").yAxisTitle("elements / ns").build();
                ch.getStyler().setXAxisLogarithmic(true);
                ch.getStyler().setYAxisLogarithmic(true);
                ch.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
                ch.getStyler().setMarkerSize(6);
                for (String v : VARIANTS) {
                    List<Double> xs = new ArrayList<>();
                    List<Double> ys = new ArrayList<>();
                    for (int c : byLoss.get(loss).keySet()) {
                        Result r = get(key, loss, c, v);
                        if (r != null) {
                            xs.add((double) c);
                            ys.add(elements(key, c) / r.ns);
                        }
                    }
                    if (!xs.isEmpty()) {
                        XYSeries s = ch.addSeries(v.equals("tf") ? "TensorFlow" : v, xs, ys);
                        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
                    }
                }
                charts.add(ch);
            }
        }
        if (charts.isEmpty()) {
            return;
        }
        // XChart's grid needs rows·cols == number of panels
        int cols = charts.size() % 3 == 0 ? 3 : charts.size() % 2 == 0 ? 2 : 1;
        int rows = charts.size() / cols;
        String name = png.toString();
        BitmapEncoder.saveBitmap(charts, rows, cols, name.endsWith(".png") ? name.substring(0, name.length() - 4) : name,
                BitmapEncoder.BitmapFormat.PNG);
    }
}
