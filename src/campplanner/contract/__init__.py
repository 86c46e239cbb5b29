"""The data contract: the instance and solution files as the outside world writes them,
their readers, and the words for what is wrong with them."""
