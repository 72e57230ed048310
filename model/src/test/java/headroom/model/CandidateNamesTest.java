package headroom.model;

import headroom.model.CandidateNames.Artifact;
import headroom.model.CandidateNames.Candidate;
import headroom.model.CandidateNames.Model;
import headroom.model.CandidateNames.StudyRun;
import headroom.model.ModelConfig.Activation;
import headroom.model.ModelConfig.Conditioning;
import headroom.model.ModelConfig.HeadMode;
import org.junit.jupiter.api.Test;

import java.util.Optional;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The names are the keys of runs already on disk: these literals are the names the pipeline has always written. */
class CandidateNamesTest {

    private static ModelConfig config(int vocabSize, HeadMode mode, int rank, int d, int unique, int loops, int mlp) {
        return new ModelConfig(vocabSize, d, 4, 2, unique, loops, mlp, Activation.RELU2, mode, rank, Conditioning.NONE, false, 10000, 0, 64);
    }

    private static Candidate candidate(ModelConfig c) {
        return new Candidate(c.vocabSize(), c.headMode().label(), c.headRank(), c.dModel(), c.uniqueBlocks(), c.loops(), c.mlpMult());
    }

    @Test
    void aCandidateNameSaysVocabularyHeadWidthBlocksLoopsAndMlpAndParsesBack() {
        ModelConfig tied = config(1024, HeadMode.TIED, 0, 192, 2, 2, 2);
        ModelConfig fact = config(4096, HeadMode.FACTORIZED, 64, 256, 3, 3, 4);
        assertEquals("v1024-tied-d192-2x2-m2", CandidateNames.candidate(candidate(tied)));
        assertEquals("v4096-fact64-d256-3x3-m4", CandidateNames.candidate(candidate(fact)));
        assertEquals("v512-untied-d96-1x4-m3", CandidateNames.candidate(candidate(config(512, HeadMode.UNTIED, 0, 96, 1, 4, 3))));
        for (ModelConfig c : new ModelConfig[]{tied, fact}) {
            String name = CandidateNames.candidate(candidate(c));
            Candidate parsed = CandidateNames.parseCandidate(name).orElseThrow();
            assertEquals(candidate(c), parsed);
            assertEquals(name, parsed.toString(), "formats what it parsed");
            assertEquals(c.headMode(), HeadMode.ofLabel(parsed.headMode()));
        }
        assertEquals(Optional.empty(), CandidateNames.parseCandidate("v1024-tied"), "a selector is not a candidate name");
        assertEquals(Optional.empty(), CandidateNames.parseCandidate("my-model"));
    }

    @Test
    void selectorsVocabulariesAndHeadModes() {
        assertEquals("v1024-tied", CandidateNames.selector(1024, HeadMode.TIED.label(), 0));
        assertEquals("v4096-fact64", CandidateNames.selector(4096, HeadMode.FACTORIZED.label(), 64));
        assertEquals("v1024", CandidateNames.vocab(1024));
        assertEquals(OptionalInt.of(1024), CandidateNames.parseVocab(CandidateNames.vocab(1024)));
        assertEquals(OptionalInt.empty(), CandidateNames.parseVocab("v1024-tied"));
        for (HeadMode m : HeadMode.values()) assertEquals(m, HeadMode.ofLabel(m.label()));
        assertEquals("factorized", HeadMode.FACTORIZED.label(), "the tables' column spells the mode out");
    }

    @Test
    void modelsAndStudyRunsAddTheSeedAndTheCapAndParseBack() {
        String candidate = "v512-tied-d224-1x2-m3";
        assertEquals("v512-tied-d224-1x2-m3-s1337", CandidateNames.model(candidate, 1337));
        assertEquals(new Model(candidate, 1337), CandidateNames.parseModel(CandidateNames.model(candidate, 1337)).orElseThrow());
        assertEquals("c600000-v512-tied-d224-1x2-m3-s1", CandidateNames.studyRun(600_000, candidate, 1));
        assertEquals(new StudyRun(600_000, candidate, 1), CandidateNames.parseStudyRun(CandidateNames.studyRun(600_000, candidate, 1)).orElseThrow());
        assertEquals(Optional.empty(), CandidateNames.parseModel("trained-by-hand"), "a folder named by hand has no seed");
    }

    @Test
    void artifactNamesMakeThePlanFileNameSafeAndParseBackToModelAndPlan() {
        String model = "v512-tied-d224-1x2-m3-s1337";
        String file = CandidateNames.artifact(model, "emb=int8,attn=int6,mlp=int6,norm=fp16,clip=std:4,outliers=0.001");
        assertEquals(model + "__emb-int8_attn-int6_mlp-int6_norm-fp16_clip-std4_outliers-0.001.hra", file);
        assertEquals(new Artifact(model, "emb-int8_attn-int6_mlp-int6_norm-fp16_clip-std4_outliers-0.001"), CandidateNames.parseArtifact(file).orElseThrow());
        String allocated = CandidateNames.allocatedArtifact(model, "60pct");
        assertEquals(model + "__alloc-60pct.hra", allocated);
        Artifact parsed = CandidateNames.parseArtifact(allocated).orElseThrow();
        assertEquals(new Artifact(model, "alloc-60pct"), parsed);
        assertEquals(true, parsed.allocated());
        assertEquals(false, CandidateNames.parseArtifact(file).orElseThrow().allocated());
        assertEquals(Optional.empty(), CandidateNames.parseArtifact("loose.hra"));
    }
}
