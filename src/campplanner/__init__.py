"""campplanner: staffs volunteer service camps with a CP-SAT model.

The layers, upstream to downstream (docs/architecture.md): the data contract
(``contract``, ``loader``), the compiled problem (``problem``), the solvers
(``solver``), results and reports. Front ends (the command line) call the
application layer and nothing below it.
"""
