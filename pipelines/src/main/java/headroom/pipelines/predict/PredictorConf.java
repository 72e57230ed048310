package headroom.pipelines.predict;

import headroom.pipelines.run.RunLayout;
import com.typesafe.config.Config;
import headroom.pipelines.conf.ConfException;
import headroom.pipelines.conf.ConfReader;
import headroom.scoring.predict.FittedLaw;
import headroom.scoring.predict.LawJson;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The {@code headroom.sweep.predictor} section: which law ranks the sweep's candidates. An empty
 * {@code law} ranks on the prior (Tao et al. 2024); a path names a {@code law.json} that
 * {@code headroom study} fitted, as {@code measured-bytes-per-param} names a scored run's bytes per parameter.
 */
public record PredictorConf(String lawFile) {

    public static final String SECTION = "headroom.sweep.predictor";

    public static PredictorConf from(Config config) {
        return new PredictorConf(new ConfReader(config, SECTION).string("law"));
    }

    public boolean usesPrior() {
        return lawFile.isBlank();
    }

    /** The prior, or the law in {@link #lawFile}; fails naming the conf key and the file. */
    public FittedLaw law() {
        if (usesPrior()) return FittedLaw.prior();
        Path file = Path.of(lawFile);
        if (!Files.isRegularFile(file)) {
            throw new ConfException("conf key " + SECTION + ".law names " + lawFile + ", which is not a file; point it at a study's "
                    + RunLayout.RELATIVE.studyLaw() + " or leave it \"\" to rank on the prior");
        }
        try {
            return LawJson.load(file);
        } catch (IllegalArgumentException e) {
            throw new ConfException("conf key " + SECTION + ".law: " + e.getMessage());
        }
    }
}
