# Script mode: install the built tree, configure and build the consumer project
# against it, run the consumer.
file(REMOVE_RECURSE ${WORK_DIR})
set(prefix ${WORK_DIR}/prefix)
execute_process(COMMAND ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix}
                RESULT_VARIABLE rc)
if(rc)
  message(FATAL_ERROR "cmake --install failed: ${rc}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -S ${PROJECT_DIR} -B ${WORK_DIR}/build
                  -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_CXX_COMPILER=${CXX}
                  -DCMAKE_BUILD_TYPE=${BUILD_TYPE}
                  "-DCMAKE_CXX_FLAGS=${CONSUMER_FLAGS}"
                  "-DCMAKE_EXE_LINKER_FLAGS=${CONSUMER_FLAGS}"
                RESULT_VARIABLE rc)
if(rc)
  message(FATAL_ERROR "configuring the consumer failed: ${rc}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build ${WORK_DIR}/build RESULT_VARIABLE rc)
if(rc)
  message(FATAL_ERROR "building the consumer failed: ${rc}")
endif()
execute_process(COMMAND ${WORK_DIR}/build/consumer RESULT_VARIABLE rc OUTPUT_VARIABLE out)
message(STATUS "consumer says: ${out}")
if(rc OR NOT out MATCHES "loss decreased")
  message(FATAL_ERROR "the consumer program failed: ${rc} ${out}")
endif()
execute_process(COMMAND ${WORK_DIR}/build/consumer_optim RESULT_VARIABLE rc OUTPUT_VARIABLE out)
message(STATUS "consumer_optim says: ${out}")
if(rc OR NOT out MATCHES "optim layer alone converged")
  message(FATAL_ERROR "the optim-only consumer failed: ${rc} ${out}")
endif()
