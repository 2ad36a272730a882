// Per-article OWL reasoning for Pillars, many articles in one Java process
// (pillars/check/owl_articles.py runs it with the OWL API and HermiT inside owlready2's HermiT.jar, in single-file source mode).
// Starting Java and HermiT costs about a second; paying that once per batch instead of once per
// article is what lets a thousand articles be reasoned over in minutes.
//
// Usage: java -cp HermiT.jar OwlBatch.java BASE.nt ARTICLE.nt ...
// BASE.nt is the ontology and the shared vocabulary; each ARTICLE.nt holds one article's
// triples. Each article is read as an ontology importing BASE, reasoned over on its own and
// removed before the next, so one article's data never meets another's. Output, one
// tab-separated line per result: "FILE\tok", "FILE\tinconsistent", "FILE\tprofile\tKind\tmessage"
// (an OWL 2 DL profile violation BASE does not have), "FILE\terror\tmessage".
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.FileInputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.Set;
import org.semanticweb.HermiT.Configuration;
import org.semanticweb.HermiT.Reasoner;
import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.io.StreamDocumentSource;
import org.semanticweb.owlapi.model.OWLOntology;
import org.semanticweb.owlapi.model.OWLOntologyManager;
import org.semanticweb.owlapi.profiles.OWL2DLProfile;
import org.semanticweb.owlapi.profiles.OWLProfileViolation;

public class OwlBatch {
    static final String RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
    static final String OWL = "http://www.w3.org/2002/07/owl#";

    static String clean(String s) {
        return s.replace('\n', ' ').replace('\t', ' ');
    }

    static Set<String> violations(OWLOntology ontology) {
        Set<String> found = new HashSet<>();
        for (OWLProfileViolation v : new OWL2DLProfile().checkOntology(ontology).getViolations()) {
            found.add(v.getClass().getSimpleName() + "\t" + clean(v.toString()));
        }
        return found;
    }

    public static void main(String[] args) throws Exception {
        byte[] baseBytes = Files.readAllBytes(new File(args[0]).toPath());
        OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
        OWLOntology baseOntology =
            manager.loadOntologyFromOntologyDocument(new ByteArrayInputStream(baseBytes));
        Set<String> base = violations(baseOntology);
        // Each article is an ontology that imports the base, parsed in the manager that
        // already holds the base: the base is parsed once per batch, not once per article,
        // and the parser still sees its property declarations through the import.
        String header = "<urn:pillars:article> <" + RDF + "type> <" + OWL + "Ontology> .\n"
            + "<urn:pillars:article> <" + OWL + "imports> <"
            + baseOntology.getOntologyID().getOntologyIRI() + "> .\n";
        byte[] headerBytes = header.getBytes(StandardCharsets.UTF_8);
        for (int i = 1; i < args.length; i++) {
            String file = args[i];
            try {
                SequenceInputStream both = new SequenceInputStream(
                    new ByteArrayInputStream(headerBytes), new FileInputStream(file));
                OWLOntology ontology =
                    manager.loadOntologyFromOntologyDocument(new StreamDocumentSource(both));
                for (String v : violations(ontology)) {
                    if (!base.contains(v)) System.out.println(file + "\tprofile\t" + v);
                }
                Configuration config = new Configuration();
                // xsd:gYear is outside the OWL 2 datatype map; SHACL checks those values.
                config.ignoreUnsupportedDatatypes = true;
                Reasoner reasoner = new Reasoner(config, ontology);
                System.out.println(file + "\t" + (reasoner.isConsistent() ? "ok" : "inconsistent"));
                reasoner.dispose();
                manager.removeOntology(ontology);
            } catch (Throwable err) {  // one bad article (or OutOfMemoryError) must not stop the batch
                System.out.println(file + "\terror\t" + clean(String.valueOf(err)));
            }
            System.out.flush();
        }
    }
}
