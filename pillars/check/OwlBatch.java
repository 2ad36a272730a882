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
// (an OWL 2 DL profile violation BASE does not have), "FILE\terror\tmessage", and before an
// "inconsistent" line one "FILE\tculprit\tIRI" per resource whose own statements contradict
// the ontology (see culprits()), so the report can name the resource and not only the graph;
// "FILE\tdatatype\tPROPERTY\tDATATYPE\tHOW" for a data property whose values in the article use
// a datatype outside the OWL 2 datatype map (xsd:gYear) that BASE does not already use it with
// (OwlProfile.java reports BASE's): HermiT ignores those axioms, and the report says so.
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.FileInputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.semanticweb.HermiT.Configuration;
import org.semanticweb.HermiT.Reasoner;
import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.io.StreamDocumentSource;
import org.semanticweb.owlapi.model.AddImport;
import org.semanticweb.owlapi.model.AxiomType;
import org.semanticweb.owlapi.model.IRI;
import org.semanticweb.owlapi.model.OWLAxiom;
import org.semanticweb.owlapi.model.OWLClassAssertionAxiom;
import org.semanticweb.owlapi.model.OWLDataPropertyAssertionAxiom;
import org.semanticweb.owlapi.model.OWLDataPropertyExpression;
import org.semanticweb.owlapi.model.OWLDataPropertyRangeAxiom;
import org.semanticweb.owlapi.model.OWLDatatype;
import org.semanticweb.owlapi.model.OWLIndividual;
import org.semanticweb.owlapi.model.OWLLogicalAxiom;
import org.semanticweb.owlapi.model.OWLObjectPropertyAssertionAxiom;
import org.semanticweb.owlapi.model.OWLOntology;
import org.semanticweb.owlapi.model.OWLPropertyAssertionAxiom;
import org.semanticweb.owlapi.model.OWLOntologyManager;
import org.semanticweb.owlapi.profiles.OWL2DLProfile;
import org.semanticweb.owlapi.profiles.OWLProfileViolation;
import org.semanticweb.owlapi.vocab.OWL2Datatype;

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

    // The same methods are in OwlProfile.java (single-file programs cannot share code): keep
    // both. "PROPERTY\tDATATYPE" -> how it is used, over the ontology and its imports.
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

    // At most this many extra HermiT runs to localise one inconsistent article; past it the
    // report names only the graph. One culprit among n resources costs about 2 log2(n) runs.
    static final int MAX_TESTS = 200;
    static int tests;

    static OWLIndividual subjectOf(OWLAxiom axiom) {
        if (axiom instanceof OWLClassAssertionAxiom) return ((OWLClassAssertionAxiom) axiom).getIndividual();
        if (axiom instanceof OWLPropertyAssertionAxiom) return ((OWLPropertyAssertionAxiom<?, ?>) axiom).getSubject();
        return null;
    }

    static boolean consistent(OWLOntologyManager manager, IRI base, Set<OWLAxiom> axioms,
                              Configuration config) throws Exception {
        tests++;
        OWLOntology part = manager.createOntology(axioms);
        manager.applyChange(new AddImport(part, manager.getOWLDataFactory().getOWLImportsDeclaration(base)));
        Reasoner reasoner = new Reasoner(config, part);
        boolean ok = reasoner.isConsistent();
        reasoner.dispose();
        manager.removeOntology(part);
        return ok;
    }

    // The resources of an inconsistent article whose statements contradict the ontology (with
    // the base): a value of the wrong datatype, a type disjoint with another, a link whose
    // range is disjoint with the target's type. Each resource is tried with its own
    // statements and the types of the resources it links to; halves of the article are tried
    // first, so one culprit among hundreds costs a few dozen runs. A resource that is only
    // inconsistent because a resource it links to is itself a culprit is left out. Empty when
    // the contradiction needs statements about several resources, or past MAX_TESTS.
    static List<String> culprits(OWLOntologyManager manager, IRI base, OWLOntology article,
                                 Configuration config) throws Exception {
        Map<OWLIndividual, Set<OWLAxiom>> own = new LinkedHashMap<>();
        Set<OWLAxiom> common = new HashSet<>();
        for (OWLLogicalAxiom axiom : article.getLogicalAxioms()) {
            OWLIndividual subject = subjectOf(axiom);
            if (subject == null) common.add(axiom);
            else own.computeIfAbsent(subject, k -> new HashSet<>()).add(axiom);
        }
        tests = 0;
        if (!common.isEmpty() && !consistent(manager, base, common, config)) return Collections.emptyList();
        Map<OWLIndividual, Set<OWLAxiom>> star = new LinkedHashMap<>();
        for (Map.Entry<OWLIndividual, Set<OWLAxiom>> entry : own.entrySet()) {
            Set<OWLAxiom> axioms = new HashSet<>(entry.getValue());
            for (OWLAxiom axiom : entry.getValue()) {
                if (!(axiom instanceof OWLObjectPropertyAssertionAxiom)) continue;
                OWLIndividual target = ((OWLObjectPropertyAssertionAxiom) axiom).getObject();
                for (OWLAxiom about : own.getOrDefault(target, Collections.emptySet())) {
                    if (about instanceof OWLClassAssertionAxiom) axioms.add(about);
                }
            }
            star.put(entry.getKey(), axioms);
        }
        List<OWLIndividual> found = new ArrayList<>();
        search(manager, base, new ArrayList<>(star.keySet()), star, common, config, found, true);
        Set<OWLIndividual> suspects = new HashSet<>(found);
        List<String> names = new ArrayList<>();
        for (OWLIndividual x : found) {
            boolean linksToSuspect = false;
            for (OWLAxiom axiom : own.get(x)) {
                if (axiom instanceof OWLObjectPropertyAssertionAxiom
                        && suspects.contains(((OWLObjectPropertyAssertionAxiom) axiom).getObject())) {
                    linksToSuspect = true;
                }
            }
            if (linksToSuspect && tests < MAX_TESTS) {
                Set<OWLAxiom> alone = new HashSet<>(common);
                alone.addAll(own.get(x));
                if (consistent(manager, base, alone, config)) continue;
            }
            names.add(x.toStringID());
        }
        return names;
    }

    static void search(OWLOntologyManager manager, IRI base, List<OWLIndividual> part,
                       Map<OWLIndividual, Set<OWLAxiom>> star, Set<OWLAxiom> common,
                       Configuration config, List<OWLIndividual> found, boolean known) throws Exception {
        if (part.isEmpty() || tests >= MAX_TESTS) return;
        if (!known) {
            Set<OWLAxiom> axioms = new HashSet<>(common);
            for (OWLIndividual x : part) axioms.addAll(star.get(x));
            if (consistent(manager, base, axioms, config)) return;
        }
        if (part.size() == 1) {
            found.add(part.get(0));
            return;
        }
        int half = part.size() / 2;
        search(manager, base, part.subList(0, half), star, common, config, found, false);
        search(manager, base, part.subList(half, part.size()), star, common, config, found, false);
    }

    public static void main(String[] args) throws Exception {
        byte[] baseBytes = Files.readAllBytes(new File(args[0]).toPath());
        OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
        OWLOntology baseOntology =
            manager.loadOntologyFromOntologyDocument(new ByteArrayInputStream(baseBytes));
        Set<String> base = violations(baseOntology);
        Set<String> baseDatatypes = unsupportedDatatypes(baseOntology).keySet();
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
                for (Map.Entry<String, Set<String>> use : unsupportedDatatypes(ontology).entrySet()) {
                    if (baseDatatypes.contains(use.getKey())) continue;
                    System.out.println(file + "\tdatatype\t" + use.getKey() + "\t"
                        + String.join(" and ", use.getValue()));
                }
                Configuration config = new Configuration();
                // xsd:gYear is outside the OWL 2 datatype map: HermiT would refuse the article
                // over it, so the axioms that use it are ignored, and the "datatype" lines above
                // (and OwlProfile.java for the base) report each property they concern.
                config.ignoreUnsupportedDatatypes = true;
                Reasoner reasoner = new Reasoner(config, ontology);
                boolean ok = reasoner.isConsistent();
                reasoner.dispose();
                if (!ok) {
                    IRI baseIri = baseOntology.getOntologyID().getOntologyIRI();
                    for (String name : culprits(manager, baseIri, ontology, config)) {
                        System.out.println(file + "\tculprit\t" + clean(name));
                    }
                }
                System.out.println(file + "\t" + (ok ? "ok" : "inconsistent"));
                manager.removeOntology(ontology);
            } catch (Throwable err) {  // one bad article (or OutOfMemoryError) must not stop the batch
                System.out.println(file + "\terror\t" + clean(String.valueOf(err)));
            }
            System.out.flush();
        }
    }
}
