# Cython declarations for analyzer/points_to.py (an "augmenting" .pxd: the .py stays plain
# Python). setup.py compiles a copy of the solver with them; see analyzer/compiled_solver.py.
# They make the solver and its evaluation context extension types with typed tables, and its
# hot methods C-level calls (cpdef). A method that defines a closure (a lambda, a generator
# expression) cannot be cpdef. Every attribute the solver sets must be declared here, or the
# compiled build fails at run time (tests/analyzer/test_compiled_solver.py runs it).
# Compiled methods call each other in C, outside Python's recursion limit: the parse pass's
# nesting limits (analyzer/parse.py) keep expressions far shallower than the C stack allows
# (measured: an expression 19,000 levels deep evaluates; 50,000 levels crash the process).

cdef class _Ctx:
    cdef public object module
    cdef public object qual
    cdef public object caller
    cdef public object line
    cdef public object unit
    cdef public object site
    cdef public object call
    cdef public object names
    cdef public object sites

cdef class PointsToSolver:
    cdef public dict _attribute_dependents
    cdef public dict _attribute_entries
    cdef public object _attributes_by_class
    cdef public dict _builtin_callees
    cdef public dict _calls_made
    cdef public list _class_names
    cdef public dict _display
    cdef public dict _functions
    cdef public list _kinds
    cdef public dict _methods
    cdef public dict _mro_cache
    cdef public object _mro_dependents
    cdef public dict _mro_deps
    cdef public set _overflowing
    cdef public dict _owner_names
    cdef public list _payloads
    cdef public list _pending
    cdef public dict _small_sets
    cdef public set _subclass_builders
    cdef public object _subclass_cache
    cdef public set _subclass_users
    cdef public dict _writes
    cdef public set activated
    cdef public set any_key
    cdef public dict bound
    cdef public dict calls
    cdef public object children
    cdef public list constraints
    cdef public dict definitions
    cdef public dict edges
    cdef public set escaped
    cdef public set escaped_classes
    cdef public object hints
    cdef public object import_assigns
    cdef public object import_graph
    cdef public set import_paths
    cdef public object index
    cdef public set late_hints
    cdef public dict lengths
    cdef public object modules
    cdef public object namespaces
    cdef public dict passthrough
    cdef public object queue
    cdef public object queued
    cdef public dict readers
    cdef public dict scopes
    cdef public object setters
    cdef public dict site_targets
    cdef public object skipped
    cdef public object star_targets
    cdef public set undecided
    cdef public set undecided_keys
    cdef public set unknown_decorators
    cdef public set unknown_sites
    cdef public dict values
    cdef public set widened
    cpdef object _read(self, object key, _Ctx ctx)
    cpdef _write(self, object key, object values)
    cpdef _apply(self, object key, object values)
    cpdef _enqueue(self, Py_ssize_t constraint)
    cpdef _enqueue_all(self, object readers)
    cpdef object _eval(self, tuple expr, _Ctx ctx)
    cpdef object _load_name(self, object name, _Ctx ctx)
    cpdef object _attributes(self, object bases, object attr, _Ctx ctx)
    cpdef object _attribute(self, object base, object attr, _Ctx ctx)
    cpdef object _attribute_info(self, object cls, object attr, _Ctx ctx)
    cpdef object _instance_attribute(self, object base, object attr, _Ctx ctx)
    cpdef object _bound(self, object function, object receiver)
    cpdef object _bind(self, object value, object receiver, _Ctx ctx)
    cpdef object _call(self, object callees, object args, object kwargs, _Ctx ctx)
    cpdef object _call_function(self, object function, object args, object kwargs, object receiver, _Ctx ctx)
    cpdef object _call_function_now(self, object function, object args, object kwargs, object receiver, _Ctx ctx)
    cpdef object _call_dunder(self, object receiver, object dunder, object args, _Ctx ctx, object kwargs=*)
    cpdef _edge(self, _Ctx ctx, object callee, object callee_module, bint instantiates=*)
    cpdef object _operator(self, object expr, _Ctx ctx)
    cpdef object _call_expr(self, object call, _Ctx ctx)
    cpdef _evaluate(self, Py_ssize_t constraint)
    cpdef _settle(self)
    cpdef object _load_item(self, object container, object key, _Ctx ctx)
    cpdef object _iterate(self, object values, _Ctx ctx)
    cpdef _store(self, object target, object values, _Ctx ctx, bint hint=*)
    cpdef _write_item(self, object container, object key, object values)
    cpdef _write_vararg(self, object function, object values)
    cpdef _set_kind(self, object container, object kind)
    cpdef object _shared(self, object values)
    cpdef object _subscript(self, object base, object key, _Ctx ctx)
    cpdef _note(self, _Ctx ctx, object kind)
    cpdef object _instantiate(self, object cls, object args, object kwargs, _Ctx ctx)
