package headroom.pipelines.report;

import java.util.ArrayList;
import java.util.List;

/**
 * Places the labels of a scatter plot so that none overlaps another label or covers a point, inside
 * the plot area: each label takes the first free spot of a fixed list, nearest first (upper right of
 * its point, lower right, upper left, lower left, then further up and down on either side, joined to
 * the point by a leader line). Seeds of one candidate land within a pixel of each other, which is
 * what piled their labels on top of each other (issue 25). Widths are estimated, not measured: 10 px
 * Helvetica averages about 0.55 em per character, rounded up to 6 px.
 */
final class LabelPlacer {

    static final int FONT_SIZE = 10;
    static final double CHAR_WIDTH = 6.0, ASCENT = 9, DESCENT = 3, MARKER = 5, GAP = 6, STEP = 12;
    private static final int MAX_SHIFTS = 16;

    /** A label's text position (baseline, anchored start or end), and whether it sits away from its point. */
    record Placed(double x, double y, boolean endAnchored, boolean displaced) {
    }

    record Box(double left, double top, double right, double bottom) {
        boolean overlaps(Box o) {
            return left < o.right && o.left < right && top < o.bottom && o.top < bottom;
        }

        boolean inside(double l, double t, double r, double b) {
            return left >= l && right <= r && top >= t && bottom <= b;
        }
    }

    private LabelPlacer() {
    }

    /** Positions for labels[i] of the point (px[i], py[i]), in the same order; the plot area is [left, right] x [top, bottom]. */
    static List<Placed> place(double[] px, double[] py, List<String> labels, double left, double top, double right, double bottom) {
        List<Box> taken = new ArrayList<>();
        for (int i = 0; i < px.length; i++) taken.add(new Box(px[i] - MARKER, py[i] - MARKER, px[i] + MARKER, py[i] + MARKER));
        List<Placed> out = new ArrayList<>();
        for (int i = 0; i < px.length; i++) {
            double width = labels.get(i).length() * CHAR_WIDTH;
            Placed chosen = null;
            for (Placed p : candidates(px[i], py[i])) {
                Box box = box(p, width);
                if (box.inside(left, top, right, bottom) && taken.stream().noneMatch(box::overlaps)) {
                    chosen = p;
                    break;
                }
            }
            if (chosen == null) chosen = new Placed(px[i] + GAP, py[i] - GAP, false, false); // nowhere free: the classic spot
            taken.add(box(chosen, width));
            out.add(chosen);
        }
        return out;
    }

    static Box box(Placed p, double width) {
        double l = p.endAnchored() ? p.x() - width : p.x();
        return new Box(l, p.y() - ASCENT, l + width, p.y() + DESCENT);
    }

    private static List<Placed> candidates(double x, double y) {
        List<Placed> c = new ArrayList<>();
        c.add(new Placed(x + GAP, y - GAP, false, false));
        c.add(new Placed(x + GAP, y + GAP + ASCENT, false, false));
        c.add(new Placed(x - GAP, y - GAP, true, false));
        c.add(new Placed(x - GAP, y + GAP + ASCENT, true, false));
        for (int k = 1; k <= MAX_SHIFTS; k++) {
            double up = y - GAP - k * STEP, down = y + GAP + ASCENT + k * STEP;
            double out = GAP + 10;
            c.add(new Placed(x + out, up, false, true));
            c.add(new Placed(x + out, down, false, true));
            c.add(new Placed(x - out, up, true, true));
            c.add(new Placed(x - out, down, true, true));
        }
        return c;
    }
}
