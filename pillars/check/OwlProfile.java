// OWL 2 DL profile check for Pillars (pillars/check/owl.py runs it with the OWL API that
// ships inside owlready2's HermiT.jar, in Java's single-file source mode, so nothing is built).
// Usage: java -cp HermiT.jar OwlProfile.java FILE.nt  -> one "Kind<TAB>message" line per violation,
// and one "UnsupportedDatatype<TAB>PROPERTY<TAB>DATATYPE<TAB>HOW" line per data property whose
// range or values use a datatype outside the OWL 2 datatype map (xsd:gYear): the OWL API's
// profile checker accepts those silently, and HermiT is told to ignore the axioms that use them,
// so the report must say so. HOW is "range", "values" or "range and values".
import java.io.File;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.model.AxiomType;
import org.semanticweb.owlapi.model.OWLDataPropertyAssertionAxiom;
import org.semanticweb.owlapi.model.OWLDataPropertyExpression;
import org.semanticweb.owlapi.model.OWLDataPropertyRangeAxiom;
import org.semanticweb.owlapi.model.OWLDatatype;
import org.semanticweb.owlapi.model.OWLOntology;
import org.semanticweb.owlapi.model.OWLOntologyManager;
import org.semanticweb.owlapi.profiles.OWL2DLProfile;
import org.semanticweb.owlapi.profiles.OWLProfileViolation;
import org.semanticweb.owlapi.vocab.OWL2Datatype;

public class OwlProfile {
    // The same method is in OwlBatch.java (single-file programs cannot share code): keep both.
    // "PROPERTY\tDATATYPE" -> how it is used, over the ontology and its imports.
    static Map<String, Set<String>> unsupportedDatatypes(OWLOntology ontology) {
        Map<String, Set<String>> found = new TreeMap<>();
        for (OWLOntology o : ontology.getImportsClosure()) {
            for (OWLDataPropertyRangeAxiom axiom : o.getAxioms(AxiomType.DATA_PROPERTY_RANGE)) {
                for (OWLDatatype datatype : axiom.getRange().getDatatypesInSignature()) {
                    note(found, axiom.getProperty(), datatype, "range");
                }
            }
            for (OWLDataPropertyAssertionAxiom axiom : o.getAxioms(AxiomType.DATA_PROPERTY_ASSERTION)) {
                note(found, axiom.getProperty(), axiom.getObject().getDatatype(), "values");
            }
        }
        return found;
    }

    static void note(Map<String, Set<String>> found, OWLDataPropertyExpression property,
                     OWLDatatype datatype, String how) {
        if (OWL2Datatype.isBuiltIn(datatype.getIRI()) || property.isAnonymous()) return;
        String key = property.asOWLDataProperty().getIRI() + "\t" + datatype.getIRI();
        found.computeIfAbsent(key, k -> new TreeSet<>()).add(how);
    }

    static String how(Set<String> uses) {
        return String.join(" and ", uses);  // sorted: "range and values"
    }

    public static void main(String[] args) throws Exception {
        OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
        OWLOntology ontology = manager.loadOntologyFromOntologyDocument(new File(args[0]));
        for (OWLProfileViolation v : new OWL2DLProfile().checkOntology(ontology).getViolations()) {
            String kind = v.getClass().getSimpleName();
            System.out.println(kind + "\t" + v.toString().replace('\n', ' ').replace('\t', ' '));
        }
        for (Map.Entry<String, Set<String>> use : unsupportedDatatypes(ontology).entrySet()) {
            System.out.println("UnsupportedDatatype\t" + use.getKey() + "\t" + how(use.getValue()));
        }
    }
}
