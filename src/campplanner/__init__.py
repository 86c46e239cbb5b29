"""campplanner: staffs volunteer service camps with a CP-SAT model.

The tree is the layer diagram of docs/architecture.md, upstream to downstream: the data
contract (``contract/``), the compiled problem and its rules (``model/``), the solvers
(``solver/``), explanations (``explain/``), what-if work (``whatif/``), files in and out
(``io/``), the application layer (``app/``), and the front ends over it (``web/``,
``cli/``). The independent checker (``check.py``) and the instance generator
(``generate.py``) stand apart. No module imports a layer after its own.
"""
