// impUnit, written for virtual-imp: the test framework impt runs firmware tests with
// (github.com/electricimp/impUnit, the version impt bundles, 1.2.3). Test files declare
// `class MyTests extends ImpTestCase { function testX() { … } }`; ImpUnitRunner finds those
// classes in the root table, runs their test methods and reports each step with server.log.
#require "Promise.lib.nut:4.0.0"
#require "JSONEncoder.class.nut:2.0.0"

function __module_impUnit() {
@include "ImpTestCase.nut"
@include "ImpUnitRunner.nut"
  return { ImpTestCase = ImpTestCase, ImpUnitRunner = ImpUnitRunner };
}

__module_impUnit_exports <- __module_impUnit();
ImpTestCase <- __module_impUnit_exports.ImpTestCase;
ImpUnitRunner <- __module_impUnit_exports.ImpUnitRunner;
