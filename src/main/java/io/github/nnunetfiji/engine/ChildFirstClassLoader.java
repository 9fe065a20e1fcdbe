package io.github.nnunetfiji.engine;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/**
 * Loads an engine's classes from its own jars before asking the parent, so that the engine's
 * TensorFlow wins over any other TensorFlow on the application class path (Fiji often has TF 1.x,
 * which shares class names with TF Java 2.x). Only the JDK and the project's own classes outside
 * the engine implementation come from the parent: they are the shared interface.
 */
final class ChildFirstClassLoader extends URLClassLoader {

    static {
        registerAsParallelCapable();
    }

    private final String isolatedPackage;

    /**
     * @param isolatedPackage package prefix of the engine implementation (e.g.
     *        {@code io.github.nnunetfiji.engine.tf.}); loaded child-first even though it is the
     *        project's own, so it binds to the child's TensorFlow.
     */
    ChildFirstClassLoader(URL[] urls, ClassLoader parent, String isolatedPackage) {
        super("nnunet-engine", urls, parent);
        this.isolatedPackage = isolatedPackage;
    }

    /** Classes every side must share: the JDK and the project's own core. */
    boolean parentFirst(String name) {
        if (name.startsWith("java.") || name.startsWith("javax.") || name.startsWith("jdk.")
                || name.startsWith("sun.") || name.startsWith("com.sun.")) {
            return true;
        }
        return name.startsWith("io.github.nnunetfiji.") && !name.startsWith(isolatedPackage);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null) {
                if (parentFirst(name)) {
                    c = getParent().loadClass(name);
                } else {
                    try {
                        c = findClass(name);
                    } catch (ClassNotFoundException e) {
                        c = getParent().loadClass(name);
                    }
                }
            }
            if (resolve) {
                resolveClass(c);
            }
            return c;
        }
    }

    @Override
    public URL getResource(String name) {
        URL u = findResource(name);
        return u != null ? u : getParent().getResource(name);
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
        List<URL> all = new ArrayList<>(Collections.list(findResources(name)));
        all.addAll(Collections.list(getParent().getResources(name)));
        return Collections.enumeration(all);
    }
}
