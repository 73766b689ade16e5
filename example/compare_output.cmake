# Runs PROGRAM and fails unless its standard output is exactly the contents
# of EXPECTED. Used by the test run to check the examples whose output is fixed.
execute_process(COMMAND ${PROGRAM} OUTPUT_VARIABLE out RESULT_VARIABLE rc)
file(READ ${EXPECTED} expected)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${PROGRAM} exited with ${rc}; output:\n${out}")
endif()
if(NOT out STREQUAL expected)
    message(FATAL_ERROR "${PROGRAM} printed\n${out}\nexpected\n${expected}")
endif()
