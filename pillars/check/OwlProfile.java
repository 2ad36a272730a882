// OWL 2 DL profile check for Pillars (pillars/check/owl.py runs it with the OWL API that
// ships inside owlready2's HermiT.jar, in Java's single-file source mode, so nothing is built).
// Usage: java -cp HermiT.jar OwlProfile.java FILE.nt  -> one "Kind<TAB>message" line per violation.
import java.io.File;
import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.model.OWLOntology;
import org.semanticweb.owlapi.model.OWLOntologyManager;
import org.semanticweb.owlapi.profiles.OWL2DLProfile;
import org.semanticweb.owlapi.profiles.OWLProfileViolation;

public class OwlProfile {
    public static void main(String[] args) throws Exception {
        OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
        OWLOntology ontology = manager.loadOntologyFromOntologyDocument(new File(args[0]));
        for (OWLProfileViolation v : new OWL2DLProfile().checkOntology(ontology).getViolations()) {
            String kind = v.getClass().getSimpleName();
            System.out.println(kind + "\t" + v.toString().replace('\n', ' ').replace('\t', ' '));
        }
    }
}
