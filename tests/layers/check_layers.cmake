# Script mode: compile (syntax only) with one layer's include path.
function(compile source result output)
  execute_process(
    COMMAND ${CXX} -std=c++20 -fsyntax-only -I${INCLUDE}
            ${SOURCE_DIR}/${source}
    RESULT_VARIABLE rc ERROR_VARIABLE err OUTPUT_VARIABLE out)
  set(${result} ${rc} PARENT_SCOPE)
  set(${output} "${out}${err}" PARENT_SCOPE)
endfunction()

compile(downward_include.cpp rc out)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "optim's own and core's headers should compile with optim's include path:\n${out}")
endif()
compile(upward_include.cpp rc out)
if(rc EQUAL 0)
  message(FATAL_ERROR "optim code compiled with an #include of a train header: the layers are not enforced")
endif()
if(NOT out MATCHES "descent/train/trainer.hpp")
  message(FATAL_ERROR "the upward include failed, but not for want of the train header:\n${out}")
endif()
message(STATUS "an optim file that includes descent/train/trainer.hpp does not compile")
